namespace Bulwark.Matching.Text;

/// <summary>A name of a designated person or organisation. Several entries may share an <see cref="Id"/> (aliases).</summary>
/// <param name="Id">Caller's identifier for the entity.</param>
/// <param name="Name">The name in any script.</param>
/// <param name="Weak">Weak aliases (the UN's "low quality" ones, e.g. "Abu Mohamed") only match a query
/// that is exactly the same name after normalisation, never fuzzily.</param>
public sealed record NameEntry(int Id, string Name, bool Weak = false);

/// <summary>How one query token was scored against the best-matching name.</summary>
/// <param name="QueryToken">Token of the normalised query.</param>
/// <param name="NameToken">The name token it was paired with, or null if none was close enough.</param>
/// <param name="Similarity">0..1.</param>
/// <param name="How">"exact", "fuzzy" (Jaro–Winkler), "initial", "consonants" (Arabic-script spelling without
/// short vowels) or "unmatched".</param>
public sealed record TokenScore(string QueryToken, string? NameToken, double Similarity, string How);

/// <summary>A scored candidate for a queried name.</summary>
/// <param name="Id">The entry's <see cref="NameEntry.Id"/>.</param>
/// <param name="Name">The entry name that scored best for this id.</param>
/// <param name="Score">0..1: weighted share of query and name tokens that were paired, times their similarity.</param>
/// <param name="Tokens">Per-token explanation, in query order.</param>
/// <param name="Steps">Normalisation steps that changed the query.</param>
public sealed record NameMatch(int Id, string Name, double Score, IReadOnlyList<TokenScore> Tokens, NormalizationSteps Steps);
