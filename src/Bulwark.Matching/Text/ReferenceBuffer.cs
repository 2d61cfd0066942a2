namespace Bulwark.Matching.Text;

/// <summary>
/// Working memory of <see cref="ReferenceTextNormalizer"/>: one array per pass (folded code points, words,
/// output chars with their original offsets). Allocated per call; the reference favours plainness over speed.
/// </summary>
internal sealed class ReferenceBuffer
{
    public Unit[] Units = new Unit[256];
    public Word[] Words = new Word[64];
    public char[] Chars = new char[256];
    public int[] Starts = new int[256];
    public int[] Ends = new int[256];
    public int Length;
    public NormalizationSteps Steps;

    public ReadOnlySpan<char> Text => Chars.AsSpan(0, Length);

    public void EnsureUnits(int n)
    {
        if (Units.Length < n) Units = new Unit[Math.Max(n, Units.Length * 2)];
    }

    public void EnsureWords(int n)
    {
        if (Words.Length < n) Array.Resize(ref Words, Math.Max(n, Words.Length * 2));
    }

    public void EnsureOutput(int n)
    {
        if (Chars.Length >= n) return;
        var size = Math.Max(n, Chars.Length * 2);
        Array.Resize(ref Chars, size);
        Array.Resize(ref Starts, size);
        Array.Resize(ref Ends, size);
    }

    /// <summary>One input code point after folding.</summary>
    public struct Unit
    {
        public uint Entry;
        public int Start;
        public int End;
    }

    /// <summary>A maximal run of non-gap units.</summary>
    public struct Word
    {
        public int First;      // first unit
        public int End;        // one past the last unit
        public bool SingleLetter;
        public bool JoinNext;  // the gap after this word is collapsed
    }
}
