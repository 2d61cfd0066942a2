using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Bulwark.Matching.Text;

/// <summary>
/// Aho–Corasick automaton over normalised chars, immutable once built. States up to depth <see cref="DenseDepth"/>
/// come first, breadth-first, each with a dense row of transitions over the <see cref="RowWidth"/> − 1 most frequent
/// symbols: ordinary text almost never leaves them, and a row replaces the failure-link walk with one load. Deeper
/// states, and rare symbols, use children kept sorted in one shared array (CSR) and failure links; deep states are
/// numbered depth-first (<see cref="TrieBuilder.Layout"/>) so that walking a real match stays in a few cache lines.
/// A transition value carries <see cref="OutputFlag"/> when some key ends at the target or along its suffix chain,
/// so the scan needs no second lookup at positions where nothing ends.
/// </summary>
internal sealed class AhoCorasick
{
    private const int DenseDepth = 4;
    private const int RowBits = 5;
    private const int RowWidth = 1 << RowBits;   // symbol 0 (a char in no key) plus the 31 most frequent symbols
    private const long MaxDenseCells = 8_000_000;
    private const int OutputFlag = int.MinValue;

    private readonly ushort[] _symbolOf = new ushort[0x10000]; // 0 = char in no key: back to the root
    private readonly int _denseStates;
    private readonly int[] _dense;        // [_denseStates << RowBits] transition targets, OutputFlag set where keys end
    private readonly int[] _childStart;   // CSR children per state
    private readonly ushort[] _childSymbol;
    private readonly int[] _childTarget;  // child state, OutputFlag set where keys end
    private readonly int[] _fail;
    private readonly int[] _report;       // first state on the suffix chain (itself included) with keys ending, or -1
    // Read only where a key ends, usually out of cache: what one report needs sits together (one miss, not two).
    private readonly Output[] _outputs;   // per state: first key ending there, next reporting state on the suffix chain
    private readonly KeyLink[] _keyLinks; // per key: length, next key ending at the same state
    // Per deep state (id − _denseStates), what walking a real match and reporting it reads, in one 16-byte record:
    // deep states are numbered depth-first, so a key's chain of records is contiguous and costs one miss, not one
    // per array (children, failure link, the space after the key, the report chain).
    private readonly DeepState[] _deep;
    private readonly int _spaceSymbol;    // symbol of ' ' (0 if no key has one): the char after almost every match
    private readonly int _maxKeyLength;

    // Below this (or with keys longer than an eighth of the text) the second stream's lead-in costs more than it gains.
    private const int TwoStreamMinLength = 512;

    public AhoCorasick(string[] keys)
    {
        _maxKeyLength = keys.Length == 0 ? 0 : keys.Max(k => k.Length);
        NumberSymbolsByFrequency(keys);

        var trie = new TrieBuilder(keys, _symbolOf);
        var layout = trie.Layout(DenseDepth, (int)(MaxDenseCells / RowWidth), out _denseStates, out var breadthFirst);
        var n = layout.Length;
        var newId = new int[n];
        for (var i = 0; i < n; i++) newId[layout[i]] = i;

        _childStart = new int[n + 1];
        _childSymbol = new ushort[n - 1];
        var childState = new int[n - 1];
        _fail = new int[n];
        var keyHead = new int[n];
        var keyNext = new int[keys.Length];
        _report = new int[n];
        trie.Fill(layout, newId, _childStart, _childSymbol, childState, keyHead, keyNext);
        _dense = new int[_denseStates << RowBits];
        _childTarget = childState;
        for (var i = 0; i < n; i++) breadthFirst[i] = newId[breadthFirst[i]];
        _outputs = new Output[n];
        LinkFailures(breadthFirst, keyHead);
        _keyLinks = new KeyLink[keys.Length];
        for (var k = 0; k < keys.Length; k++) _keyLinks[k] = new KeyLink(keys[k].Length, keyNext[k]);
        _spaceSymbol = _symbolOf[' '];
        _deep = BuildDeepStates(breadthFirst);
        // From here on the dense rows hold targets as the scan holds states (see Shifted).
        if (n > int.MaxValue >> RowBits) throw new NotSupportedException($"Too many automaton states ({n:N0}) for row-offset transitions.");
        for (var j = 0; j < _dense.Length; j++) _dense[j] = Shifted(_dense[j]);
    }

    public int StateCount => _fail.Length;

    /// <summary>
    /// Calls the sink with (key, start, end) for every key ending at each position of <paramref name="text"/>, in order
    /// of end position. A step is a dependent load (state → row → state), so one stream is bound by load latency; long
    /// texts are scanned as two interleaved streams over their halves. The second starts <see cref="_maxKeyLength"/>
    /// chars before the middle, from the root: the state at any position depends only on that many chars before it.
    /// Its hits before the middle belong to the first stream; its others are held back (few: only where keys end) and
    /// reported after the first stream's, so the order is the same as one stream's.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]  // one call per window; kept out of callers so profiles attribute it
    public void Search<TSink>(ReadOnlySpan<char> text, ref TSink sink) where TSink : struct, IKeySink
    {
        var lead = _maxKeyLength;
        if (text.Length < TwoStreamMinLength || lead > text.Length / 8)
        {
            Scan(text, ref sink);
            return;
        }
        ref var symbols = ref MemoryMarshal.GetArrayDataReference(_symbolOf);
        ref var dense = ref MemoryMarshal.GetArrayDataReference(_dense);
        ref var chars = ref MemoryMarshal.GetReference(text);
        var denseLimit = (uint)_denseStates << RowBits;
        var middle = (text.Length + lead) / 2;      // first stream: [0, middle)
        var secondStart = middle - lead;            // second stream: [secondStart, text.Length), at least as long
        var held = new HeldHits(stackalloc long[64]);
        int a = 0, b = 0;
        for (var k = 0; k < middle; k++)
        {
            // Both indexes are below text.Length; a char indexes the 65,536-entry symbol table; a row has RowWidth cells.
            int symA = Unsafe.Add(ref symbols, (nint)Unsafe.Add(ref chars, (nint)k));
            int symB = Unsafe.Add(ref symbols, (nint)Unsafe.Add(ref chars, (nint)(secondStart + k)));
            // States are held as row offsets (id << RowBits): one shift fewer on the chain of dependent loads.
            var targetA = (uint)a < denseLimit && symA < RowWidth ? Unsafe.Add(ref dense, (nint)(a | symA)) : SlowStep(a, symA);
            var targetB = (uint)b < denseLimit && symB < RowWidth ? Unsafe.Add(ref dense, (nint)(b | symB)) : SlowStep(b, symB);
            a = targetA & int.MaxValue;
            b = targetB & int.MaxValue;
            if ((targetA | targetB) < 0)
            {
                if (targetA < 0) Report(a >> RowBits, k + 1, ref sink);
                if (targetB < 0 && secondStart + k + 1 > middle) held.Add(b >> RowBits, secondStart + k + 1);
            }
        }
        for (var i = secondStart + middle; i < text.Length; i++)
        {
            int sym = _symbolOf[text[i]];
            var target = (uint)b < denseLimit && sym < RowWidth ? _dense[b | sym] : SlowStep(b, sym);
            b = target & int.MaxValue;
            if (target < 0) held.Add(b >> RowBits, i + 1);
        }
        for (var h = 0; h < held.Count; h++)
        {
            var (state, end) = held[h];
            Report(state, end, ref sink);
        }
        held.Dispose();
    }

    /// <summary>One stream over the whole text.</summary>
    private void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink) where TSink : struct, IKeySink
    {
        var state = 0;
        ref var symbols = ref MemoryMarshal.GetArrayDataReference(_symbolOf);
        ref var dense = ref MemoryMarshal.GetArrayDataReference(_dense);
        var denseLimit = (uint)_denseStates << RowBits;
        for (var i = 0; i < text.Length; i++)
        {
            // A char indexes the 65,536-entry symbol table and a dense state's row has RowWidth cells: both in range.
            int sym = Unsafe.Add(ref symbols, (nint)text[i]);
            var target = (uint)state < denseLimit && sym < RowWidth
                ? Unsafe.Add(ref dense, (nint)(state | sym))
                : SlowStep(state, sym);
            state = target & int.MaxValue;
            if (target < 0) Report(state >> RowBits, i + 1, ref sink);
        }
    }

    /// <summary>(state, end) pairs of the second stream, on the stack unless there are many.</summary>
    private ref struct HeldHits(Span<long> initial)
    {
        private Span<long> _items = initial;
        private long[]? _rented;
        public int Count;

        public void Add(int state, int end)
        {
            if (Count == _items.Length)
            {
                var bigger = System.Buffers.ArrayPool<long>.Shared.Rent(_items.Length * 2);
                _items.CopyTo(bigger);
                if (_rented is not null) System.Buffers.ArrayPool<long>.Shared.Return(_rented);
                _rented = bigger;
                _items = bigger;
            }
            _items[Count++] = (long)state << 32 | (uint)end;
        }

        public readonly (int State, int End) this[int i] => ((int)(_items[i] >> 32), (int)_items[i]);

        public void Dispose()
        {
            if (_rented is not null) System.Buffers.ArrayPool<long>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void Report<TSink>(int state, int end, ref TSink sink) where TSink : struct, IKeySink
    {
        if (state >= _denseStates)
        {
            var sole = _deep[state - _denseStates].SoleKey;
            if (sole >= 0)
            {
                sink.OnKey(sole & SoleKeyMask, end - (sole >>> SoleKeyBits), end);
                return;
            }
        }
        for (var r = _report[state]; r >= 0;)
        {
            var output = _outputs[r];
            for (var k = output.KeyHead; k >= 0;)
            {
                var link = _keyLinks[k];
                sink.OnKey(k, end - link.Length, end);
                k = link.Next;
            }
            r = output.ReportNext;
        }
    }

    /// <summary>The transition from a deep state, or on a symbol outside the dense rows: children, then failure links.</summary>
    /// <remarks>Takes and returns states as the scan holds them: row offsets (id &lt;&lt; RowBits), flag in the sign.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int SlowStep(int shiftedState, int sym)
    {
        if (sym == 0) return 0;
        var state = shiftedState >> RowBits;
        while (true)
        {
            if (state < _denseStates)
            {
                if (sym < RowWidth) return _dense[state << RowBits | sym];
            }
            else
            {
                ref readonly var deep = ref _deep[state - _denseStates];
                if (deep.Symbol == sym) return (state + 1) << RowBits | (deep.Flags & ChildReports) << 31;
                if (sym == _spaceSymbol) return Shifted(deep.SpaceTarget);
                if (deep.Symbol != 0)
                {
                    state = deep.Fail;  // one child, not on this symbol
                    continue;
                }
            }
            var next = Child(state, sym);
            if (next != -1) return Shifted(next);
            if (state == 0) return 0;
            state = _fail[state];
        }
    }

    /// <summary>A transition value (state id, <see cref="OutputFlag"/>) as the scan holds it: id &lt;&lt; RowBits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Shifted(int target) => (target & OutputFlag) | (target & int.MaxValue) << RowBits;

    private const int ChildReports = 1;
    private const int SoleKeyBits = 24;
    private const int SoleKeyMask = (1 << SoleKeyBits) - 1;
    private const int MaxSoleKeyLength = 127;   // the key length sits above the key's 24 bits, below the sign

    /// <summary>
    /// The record of every deep state: its only child's symbol (that child is the next state in depth-first order)
    /// or 0, its failure link, its transition on ' ' (computed once: after a match the text goes on with a space, and
    /// following failure links there costs misses), and the only key it reports, if it reports exactly one.
    /// </summary>
    private DeepState[] BuildDeepStates(int[] breadthFirst)
    {
        var n = _fail.Length;
        var deep = new DeepState[n - _denseStates];
        foreach (var s in breadthFirst)
        {
            if (s < _denseStates) continue;
            ushort symbol = 0;
            var flags = 0;
            var first = _childStart[s];
            if (_childStart[s + 1] - first == 1 && (_childTarget[first] & int.MaxValue) == s + 1)
            {
                symbol = _childSymbol[first];
                if (_childTarget[first] < 0) flags |= ChildReports;
            }
            var space = 0;
            if (_spaceSymbol != 0)
            {
                // Breadth-first, so the failure state (shallower) already has its own.
                var child = Child(s, _spaceSymbol);
                var f = _fail[s];
                space = child != -1 ? child
                    : f < _denseStates ? (_spaceSymbol < RowWidth ? _dense[f << RowBits | _spaceSymbol] : Flagged(Step(f, _spaceSymbol)))
                    : deep[f - _denseStates].SpaceTarget;
            }
            deep[s - _denseStates] = new DeepState(symbol, (ushort)flags, _fail[s], space, SoleKey(s));
        }
        return deep;
    }

    private int Flagged(int state) => _report[state] >= 0 ? state | OutputFlag : state;

    /// <summary>The key <paramref name="state"/> reports with its length above it, if it reports exactly one; else −1.</summary>
    private int SoleKey(int state)
    {
        var r = _report[state];
        if (r < 0) return -1;
        var output = _outputs[r];
        var key = output.KeyHead;
        if (output.ReportNext >= 0 || _keyLinks[key].Next >= 0) return -1;
        var length = _keyLinks[key].Length;
        return key <= SoleKeyMask && length <= MaxSoleKeyLength ? key | length << SoleKeyBits : -1;
    }

    /// <summary>The child target (with <see cref="OutputFlag"/>) of <paramref name="state"/> on a symbol, or -1.</summary>
    private int Child(int state, int sym)
    {
        for (int j = _childStart[state], end = _childStart[state + 1]; j < end; j++)
            if (_childSymbol[j] == sym) return _childTarget[j];
        return -1;
    }

    /// <summary>
    /// Symbols 1, 2, … in order of how often the char occurs in keys, so the dense rows cover the common ones.
    /// Keys are canonical (PatternKeys.Canonical); the text is not, so its 'l' must step like 'i'.
    /// </summary>
    private void NumberSymbolsByFrequency(string[] keys)
    {
        var counts = new Dictionary<char, long>();
        foreach (var key in keys)
            foreach (var c in key)
                counts[c] = counts.GetValueOrDefault(c) + 1;
        var next = 0;
        foreach (var (c, _) in counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key))
            _symbolOf[c] = (ushort)++next;
        _symbolOf['l'] = _symbolOf['i'];
    }

    /// <summary>Breadth-first: a state's failure target is shallower, so it is final before the state is reached.</summary>
    private void LinkFailures(int[] breadthFirst, int[] keyHead)
    {
        foreach (var s in breadthFirst)
        {
            var f = _fail[s];
            if (s < _denseStates)
            {
                // Row = children, else the failure state's row (complete already, f < s); the root's stays at the root.
                var row = s << RowBits;
                if (s != 0) Array.Copy(_dense, f << RowBits, _dense, row, RowWidth);
                for (var j = _childStart[s]; j < _childStart[s + 1]; j++)
                    if (_childSymbol[j] < RowWidth) _dense[row | _childSymbol[j]] = _childTarget[j];
            }
            for (var j = _childStart[s]; j < _childStart[s + 1]; j++)
                _fail[_childTarget[j]] = s == 0 ? 0 : Step(f, _childSymbol[j]);
            // Keys ending at s or along its failure chain (shallower, so already known).
            _report[s] = keyHead[s] >= 0 ? s : (s == 0 ? -1 : _report[f]);
            _outputs[s] = new Output(keyHead[s], s == 0 ? -1 : _report[f]);
        }
        // Now that every state's reports are known, flag the transitions into states where something ends.
        for (var j = 0; j < _dense.Length; j++)
            if (_report[_dense[j]] >= 0) _dense[j] |= OutputFlag;
        for (var j = 0; j < _childTarget.Length; j++)
            if (_report[_childTarget[j]] >= 0) _childTarget[j] |= OutputFlag;
    }

    /// <summary>The target state of a transition while the automaton is built (no flags yet).</summary>
    private int Step(int state, int sym)
    {
        while (true)
        {
            if (state < _denseStates && sym < RowWidth) return _dense[state << RowBits | sym];
            var next = PlainChild(state, sym);
            if (next >= 0) return next;
            if (state == 0) return 0;
            state = _fail[state];
        }
    }

    private int PlainChild(int state, int sym)
    {
        for (int j = _childStart[state], end = _childStart[state + 1]; j < end; j++)
            if (_childSymbol[j] == sym) return _childTarget[j] & int.MaxValue;
        return -1;
    }
}

/// <summary>First key ending at a state (or -1) and the next state on its suffix chain where keys end (or -1).</summary>
internal readonly record struct Output(int KeyHead, int ReportNext);

/// <summary>What a deep state's step and report read (see AhoCorasick._deep); 16 bytes, four to a cache line.</summary>
internal readonly record struct DeepState(ushort Symbol, ushort Flags, int Fail, int SpaceTarget, int SoleKey);

/// <summary>A key's length and the next key ending at the same state (or -1).</summary>
internal readonly record struct KeyLink(int Length, int Next);

/// <summary>Receives raw key hits; a struct so the search loop is specialised and allocation-free.</summary>
internal interface IKeySink
{
    void OnKey(int key, int start, int end);
}
