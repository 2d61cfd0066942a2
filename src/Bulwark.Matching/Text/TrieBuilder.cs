namespace Bulwark.Matching.Text;

/// <summary>
/// Builds the keyword trie for <see cref="AhoCorasick"/> with a hash of edges, then lays it out: the shallow states
/// breadth-first (they get dense rows), the deep ones depth-first (a key's chain of deep states is contiguous, so
/// walking a real match touches a few cache lines instead of one per state and array).
/// </summary>
internal sealed class TrieBuilder
{
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<int> _firstChild = [-1];  // per state: edges kept as linked lists for the BFS
    private readonly List<int> _nextSibling = [-1];
    private readonly List<ushort> _symbol = [0];
    private readonly List<int> _keyAt = [-1];       // first key ending here (chained through keyNextRaw)
    private readonly int[] _keyNextRaw;

    public TrieBuilder(string[] keys, ushort[] symbolOf)
    {
        _keyNextRaw = new int[keys.Length];
        for (var k = 0; k < keys.Length; k++)
        {
            var state = 0;
            foreach (var c in keys[k])
            {
                var sym = symbolOf[c];
                var edge = (long)state << 16 | sym;
                if (!_edges.TryGetValue(edge, out var next))
                {
                    next = _symbol.Count;
                    _symbol.Add(sym);
                    _firstChild.Add(-1);
                    _keyAt.Add(-1);
                    _nextSibling.Add(_firstChild[state]);
                    _firstChild[state] = next;
                    _edges.Add(edge, next);
                }
                state = next;
            }
            _keyNextRaw[k] = _keyAt[state];
            _keyAt[state] = k;
        }
    }

    public int[] BreadthFirstOrder()
    {
        var order = new int[_symbol.Count];
        var tail = 1;
        for (var head = 0; head < tail; head++)
            for (var c = _firstChild[order[head]]; c >= 0; c = _nextSibling[c]) order[tail++] = c;
        return order;
    }

    /// <summary>
    /// Old state ids in their new order: the breadth-first prefix of states no deeper than <paramref name="maxDepth"/>
    /// (at most <paramref name="maxShallow"/>) first, then every other state depth-first. Parents always precede
    /// their children. <paramref name="breadthFirst"/> is the breadth-first order, for building failure links.
    /// </summary>
    public int[] Layout(int maxDepth, int maxShallow, out int shallowCount, out int[] breadthFirst)
    {
        breadthFirst = BreadthFirstOrder();
        var n = breadthFirst.Length;
        var depth = new int[n];
        foreach (var s in breadthFirst)
            for (var c = _firstChild[s]; c >= 0; c = _nextSibling[c]) depth[c] = depth[s] + 1;
        shallowCount = 0;
        while (shallowCount < n && shallowCount < maxShallow && depth[breadthFirst[shallowCount]] <= maxDepth) shallowCount++;

        var layout = new int[n];
        Array.Copy(breadthFirst, layout, shallowCount);
        var isShallow = new bool[n];
        for (var i = 0; i < shallowCount; i++) isShallow[breadthFirst[i]] = true;
        var pos = shallowCount;
        var stack = new Stack<int>();
        for (var i = 0; i < shallowCount; i++)
        {
            for (var c = _firstChild[breadthFirst[i]]; c >= 0; c = _nextSibling[c])
                if (!isShallow[c]) stack.Push(c);
            while (stack.Count > 0)
            {
                var s = stack.Pop();
                layout[pos++] = s;
                for (var c = _firstChild[s]; c >= 0; c = _nextSibling[c]) stack.Push(c);
            }
        }
        return layout;
    }

    /// <summary>Writes CSR children (sorted by symbol) and key lists in the new numbering; <paramref name="order"/> holds old ids by new id.</summary>
    public void Fill(int[] order, int[] newId, int[] childStart, ushort[] childSymbol, int[] childState, int[] keyHead, int[] keyNext)
    {
        var pos = 0;
        for (var s = 0; s < order.Length; s++)
        {
            var old = order[s];
            childStart[s] = pos;
            var first = pos;
            for (var c = _firstChild[old]; c >= 0; c = _nextSibling[c])
            {
                childSymbol[pos] = _symbol[c];
                childState[pos] = newId[c];
                pos++;
            }
            Array.Sort(childSymbol, childState, first, pos - first);
            keyHead[s] = _keyAt[old];
        }
        childStart[order.Length] = pos;
        for (var k = 0; k < keyNext.Length; k++) keyNext[k] = _keyNextRaw[k];
    }
}
