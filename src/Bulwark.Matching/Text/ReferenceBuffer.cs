namespace Bulwark.Matching.Text;

/// <summary>
/// Working memory of <see cref="ReferenceTextNormalizer"/>: one array per pass (folded code points, words) and the
/// output it writes to. Kept per thread like the original, so the benchmarks measure the old path as it ran.
/// </summary>
internal sealed class ReferenceBuffer
{
    [ThreadStatic] private static ReferenceBuffer? s_cached;

    public Unit[] Units = new Unit[256];
    public Word[] Words = new Word[64];
    public NormalizationBuffer Output = null!;

    /// <summary>The calling thread's buffer, writing into <paramref name="output"/>.</summary>
    public static ReferenceBuffer ForThread(NormalizationBuffer output)
    {
        var b = s_cached ??= new ReferenceBuffer();
        b.Output = output;
        return b;
    }

    public void EnsureUnits(int n)
    {
        if (Units.Length < n) Units = new Unit[Math.Max(n, Units.Length * 2)];
    }

    public void EnsureWords(int n)
    {
        if (Words.Length < n) Array.Resize(ref Words, Math.Max(n, Words.Length * 2));
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
