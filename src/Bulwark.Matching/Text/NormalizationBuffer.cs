namespace Bulwark.Matching.Text;

/// <summary>
/// Reusable output of one normalisation: the normalised chars with their original offsets. Reused per thread
/// by the matchers so that scanning text allocates nothing but the results.
/// </summary>
internal sealed class NormalizationBuffer
{
    // Buffers above this size are dropped after use rather than kept alive by a thread.
    private const int RetainLimit = 1 << 20;

    [ThreadStatic] private static NormalizationBuffer? s_cached;

    public char[] Chars = new char[256];
    public int[] Starts = new int[256];
    public int[] Ends = new int[256];
    public int Length;
    public NormalizationSteps Steps;

    public ReadOnlySpan<char> Text => Chars.AsSpan(0, Length);

    public static NormalizationBuffer Rent()
    {
        var b = s_cached ?? new NormalizationBuffer();
        s_cached = null;
        return b;
    }

    public static void Return(NormalizationBuffer b)
    {
        if (b.Chars.Length <= RetainLimit) s_cached = b;
    }

    /// <summary>Grows the output to hold at least <paramref name="n"/> chars, keeping what is written.</summary>
    public void EnsureOutput(int n)
    {
        if (Chars.Length >= n) return;
        var size = Math.Max(n, Chars.Length * 2);
        Array.Resize(ref Chars, size);
        Array.Resize(ref Starts, size);
        Array.Resize(ref Ends, size);
    }
}
