namespace Bulwark.Matching.Text;

/// <summary>A name, alias, slogan or hashtag to find in text. The caller maps <see cref="Id"/> to its entity.</summary>
/// <param name="Id">Caller's identifier, returned with every match.</param>
/// <param name="Text">The pattern as written; it is normalised like the text it is searched in.</param>
/// <param name="Weak">Weak patterns (short or common aliases) only match as exact whole words: same letters
/// up to case and spacing, with no obfuscation undone.</param>
public sealed record Pattern(int Id, string Text, bool Weak = false);

/// <summary>One occurrence of a pattern.</summary>
/// <param name="PatternId">The pattern's <see cref="Pattern.Id"/>.</param>
/// <param name="Start">Start offset in the original text.</param>
/// <param name="End">End offset (exclusive) in the original text.</param>
/// <param name="Normalized">The normalised form that matched.</param>
/// <param name="Steps">Normalisation steps that changed the matched span: the explanation of an obfuscated hit.</param>
public sealed record TextMatch(int PatternId, int Start, int End, string Normalized, NormalizationSteps Steps);
