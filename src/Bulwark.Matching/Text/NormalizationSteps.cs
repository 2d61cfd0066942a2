namespace Bulwark.Matching.Text;

/// <summary>Which normalisation steps changed the input; reported with every match so a reviewer can see why it matched.</summary>
[Flags]
public enum NormalizationSteps
{
    None = 0,
    /// <summary>Unicode NFKC compatibility folding: full-width, mathematical alphanumerics, ligatures, non-ASCII digits.</summary>
    CompatibilityFold = 1 << 0,
    CaseFold = 1 << 1,
    /// <summary>Zero-width, bidi and other format characters removed.</summary>
    FormatRemoved = 1 << 2,
    /// <summary>Combining marks (diacritics) removed, plus letters such as ø, ł, ß written without them.</summary>
    DiacriticsRemoved = 1 << 3,
    /// <summary>Homoglyph replaced by its Latin look-alike (Unicode UTS #39 confusables).</summary>
    Confusable = 1 << 4,
    /// <summary>Cyrillic, Greek or Arabic letters transliterated to Latin.</summary>
    Transliterated = 1 << 5,
    /// <summary>Digits or symbols inside a word read as letters (4→a, 3→e, $→s …).</summary>
    Leetspeak = 1 << 6,
    /// <summary>Separators between single letters removed (i.s.i.s → isis).</summary>
    SeparatorsCollapsed = 1 << 7,
    /// <summary>A lone surrogate was treated as a separator.</summary>
    InvalidSurrogate = 1 << 8,
}
