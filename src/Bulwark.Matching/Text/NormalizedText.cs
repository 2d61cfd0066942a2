namespace Bulwark.Matching.Text;

/// <summary>
/// Normalised text with a map back to the original: normalised char <c>i</c> came from original chars
/// <c>[Starts[i], Ends[i])</c>. Several normalised chars may share one origin (щ → shch) and one normalised
/// char may cover several original ones (a run of separators becomes one space).
/// </summary>
public sealed class NormalizedText
{
    private readonly int[] _starts;
    private readonly int[] _ends;

    internal NormalizedText(string text, int[] starts, int[] ends, NormalizationSteps steps)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
        Steps = steps;
    }

    /// <summary>The normalised text: lower-case, Latin where possible, words separated by single spaces.</summary>
    public string Text { get; }

    /// <summary>Original start offset of each normalised char.</summary>
    public ReadOnlySpan<int> Starts => _starts;

    /// <summary>Original end offset (exclusive) of each normalised char.</summary>
    public ReadOnlySpan<int> Ends => _ends;

    /// <summary>Every step that changed something anywhere in the text.</summary>
    public NormalizationSteps Steps { get; }

    /// <summary>The original span <c>(start, end)</c> covered by normalised chars <c>[index, index + length)</c>.</summary>
    public (int Start, int End) ToOriginal(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index + length, _starts.Length);
        return (_starts[index], _ends[index + length - 1]);
    }
}
