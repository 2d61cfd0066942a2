using Bulwark.Matching.Hashing;

namespace Bulwark.Matching.Index;

/// <summary>
/// The plain reference comparison kept beside <see cref="PdqIndex"/>: every live entry is compared with the query.
/// Same contract as the index (ids in insertion order, disabled entries never returned), so tests can demand equal results.
/// </summary>
public sealed class BruteForcePdqScanner
{
    private readonly List<PdqHash> _hashes = [];
    private readonly HashSet<int> _disabled = [];

    public int Count => _hashes.Count - _disabled.Count;

    public int Add(PdqHash hash)
    {
        _hashes.Add(hash);
        return _hashes.Count - 1;
    }

    public bool Disable(int id) => id >= 0 && id < _hashes.Count && _disabled.Add(id);

    /// <summary>Every live entry within <paramref name="threshold"/>, in id order.</summary>
    public List<PdqMatch> Search(PdqHash query, int threshold)
    {
        var matches = new List<PdqMatch>();
        for (var id = 0; id < _hashes.Count; id++)
        {
            var d = _hashes[id].HammingDistance(query);
            if (d <= threshold && !_disabled.Contains(id)) matches.Add(new PdqMatch(id, d));
        }
        return matches;
    }
}
