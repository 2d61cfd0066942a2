namespace Bulwark.Matching.Text;

/// <summary>
/// Aho–Corasick automaton over normalised chars, immutable once built. States are numbered breadth-first,
/// so the shallow ones come first: states up to depth <see cref="DenseDepth"/> get a full transition row
/// (almost every text position sits at depth 0–2, where a row saves the failure-link walk), deeper states
/// keep their few children sorted in one shared array (CSR) and fall back along failure links.
/// </summary>
internal sealed class AhoCorasick
{
    private const int DenseDepth = 2;
    private const long MaxDenseCells = 4_000_000;

    private readonly ushort[] _symbolOf = new ushort[0x10000]; // 0 = char in no key: back to the root
    private readonly int _alphabet;
    private readonly int _denseStates;
    private readonly int[] _dense;        // [_denseStates * _alphabet] full transitions
    private readonly int[] _childStart;   // CSR children per state
    private readonly ushort[] _childSymbol;
    private readonly int[] _childState;
    private readonly int[] _fail;
    private readonly int[] _report;       // first state on the suffix chain (itself included) with keys ending, or -1
    private readonly int[] _keyHead;      // first key ending at a state, or -1
    private readonly int[] _keyNext;      // next key ending at the same state, or -1
    private readonly int[] _reportNext;   // next state on the suffix chain with keys ending, or -1
    private readonly int[] _keyLength;

    public AhoCorasick(string[] keys)
    {
        _keyLength = keys.Select(k => k.Length).ToArray();
        foreach (var key in keys)
            foreach (var c in key)
                if (_symbolOf[c] == 0) _symbolOf[c] = (ushort)++_alphabet;
        _alphabet++;
        // Keys are canonical (PatternKeys.Canonical); the text is not, so its 'l' must step like 'i'.
        _symbolOf['l'] = _symbolOf['i'];

        var trie = new TrieBuilder(keys, _symbolOf);
        var order = trie.BreadthFirstOrder();
        var n = order.Length;
        var newId = new int[n];
        for (var i = 0; i < n; i++) newId[order[i]] = i;

        _childStart = new int[n + 1];
        _childSymbol = new ushort[n - 1];
        _childState = new int[n - 1];
        _fail = new int[n];
        _keyHead = new int[n];
        _keyNext = new int[keys.Length];
        _report = new int[n];
        _reportNext = new int[n];
        var depth = new int[n];
        trie.Fill(order, newId, _childStart, _childSymbol, _childState, depth, _keyHead, _keyNext);

        _denseStates = 0;
        while (_denseStates < n && depth[_denseStates] <= DenseDepth && (long)(_denseStates + 1) * _alphabet <= MaxDenseCells) _denseStates++;
        _dense = new int[_denseStates * _alphabet];
        LinkFailures(n);
    }

    public int StateCount => _fail.Length;

    /// <summary>Calls <paramref name="onKey"/> with (key, end) for every key ending at each position of <paramref name="text"/>.</summary>
    public void Search<TSink>(ReadOnlySpan<char> text, ref TSink sink) where TSink : struct, IKeySink
    {
        var state = 0;
        var symbolOf = _symbolOf;
        var dense = _dense;
        for (var i = 0; i < text.Length; i++)
        {
            int sym = symbolOf[text[i]];
            if (sym == 0) { state = 0; continue; }
            while (state >= _denseStates)
            {
                var next = Child(state, sym);
                if (next >= 0) { state = next; goto Moved; }
                state = _fail[state];
            }
            state = dense[state * _alphabet + sym];
        Moved:
            for (var r = _report[state]; r >= 0; r = _reportNext[r])
                for (var k = _keyHead[r]; k >= 0; k = _keyNext[k])
                    sink.OnKey(k, i + 1 - _keyLength[k], i + 1);
        }
    }

    private int Child(int state, int sym)
    {
        for (int j = _childStart[state], end = _childStart[state + 1]; j < end; j++)
            if (_childSymbol[j] == sym) return _childState[j];
        return -1;
    }

    /// <summary>Breadth-first: a state's failure target is shallower, so it is final before the state is reached.</summary>
    private void LinkFailures(int n)
    {
        for (var s = 0; s < n; s++)
        {
            var f = _fail[s];
            if (s < _denseStates)
            {
                // Row = children, else the failure state's row (complete already, f < s), root stays at root.
                var row = s * _alphabet;
                if (s != 0) Array.Copy(_dense, f * _alphabet, _dense, row, _alphabet);
                for (var j = _childStart[s]; j < _childStart[s + 1]; j++) _dense[row + _childSymbol[j]] = _childState[j];
            }
            for (var j = _childStart[s]; j < _childStart[s + 1]; j++)
            {
                var t = _childState[j];
                _fail[t] = s == 0 ? 0 : Step(f, _childSymbol[j]);
            }
            _report[s] = _keyHead[s] >= 0 ? s : (s == 0 ? -1 : _report[f]);
            _reportNext[s] = s == 0 ? -1 : _report[f];
        }
    }

    private int Step(int state, int sym)
    {
        while (true)
        {
            if (state < _denseStates) return _dense[state * _alphabet + sym];
            var next = Child(state, sym);
            if (next >= 0) return next;
            state = _fail[state];
        }
    }
}

/// <summary>Receives raw key hits; a struct so the search loop is specialised and allocation-free.</summary>
internal interface IKeySink
{
    void OnKey(int key, int start, int end);
}
