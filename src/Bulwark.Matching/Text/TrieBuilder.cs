namespace Bulwark.Matching.Text;

/// <summary>Builds the keyword trie for <see cref="AhoCorasick"/> with a hash of edges, then lays it out breadth-first.</summary>
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

    /// <summary>Writes CSR children (sorted by symbol), depths and key lists in the new numbering.</summary>
    public void Fill(int[] order, int[] newId, int[] childStart, ushort[] childSymbol, int[] childState, int[] depth, int[] keyHead, int[] keyNext)
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
                depth[newId[c]] = depth[s] + 1;
                pos++;
            }
            Array.Sort(childSymbol, childState, first, pos - first);
            keyHead[s] = _keyAt[old];
        }
        childStart[order.Length] = pos;
        for (var k = 0; k < keyNext.Length; k++) keyNext[k] = _keyNextRaw[k];
    }
}
