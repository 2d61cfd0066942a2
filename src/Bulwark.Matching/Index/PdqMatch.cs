namespace Bulwark.Matching.Index;

/// <summary>An index entry within the query threshold: its id (assigned by <c>Add</c>, 0-based, in insertion order) and Hamming distance.</summary>
public readonly record struct PdqMatch(int Id, int Distance);
