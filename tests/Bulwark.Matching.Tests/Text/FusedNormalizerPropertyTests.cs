using System.Text;
using Bulwark.Matching.Tests.Text.Quality;
using Bulwark.Matching.Text;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Text;

/// <summary>
/// The fused single-pass <see cref="TextNormalizer"/> must equal <see cref="ReferenceTextNormalizer"/>, the
/// multi-pass original, exactly: text, offset map and steps; and screening with it must equal the naive
/// <see cref="ReferencePatternMatcher"/> over the reference normaliser, spans and explanations included.
/// </summary>
public class FusedNormalizerPropertyTests
{
    // Pieces chosen to hit every branch: ASCII and case, digits and leet symbols, each collapsible separator,
    // zero-width and bidi format chars, combining marks, Cyrillic/Greek (Russian letters and spoof-only і ѕ ј),
    // Arabic with harakat, Hebrew, full-width, mathematical and enclosed alphanumerics, emoji, lone surrogates,
    // expansions (ß, ﬁ, щ, ﷽, ⒈), kept astral letters, non-ASCII digits, CJK, apostrophes and other gaps.
    private static readonly string[] Pieces =
    [
        "a", "b", "i", "l", "s", "x", "I", "S", "Q", "z", "0", "1", "3", "4", "5", "7", "9", "@", "$", "!", "|", "€", "£",
        " ", " ", " ", ".", "-", "_", "*", "/", "+", "~", "\u00B7", "\u2022", "\u3000", "\u00A0", ",", "#", "\n", "\t", "(", "'", "’",
        "\u200B", "\u200C", "\u200D", "\uFEFF", "\u00AD", "\u202E", "\u200F", "\u2066", "\u0301", "\u0308", "\u0327", "\u20DD",
        "А", "а", "И", "Г", "Л", "і", "ѕ", "ј", "щ", "ё", "Ѕ", "І", "ω", "Α", "ς", "Η", "θ",
        "ا", "ل", "د", "و", "ة", "ع", "ء", "\u064E", "\u0651", "ث", "ש", "ל", "ום",
        "Ｉ", "ｓ", "＇", "１", "𝐈", "𝐒", "𝟒", "🅰", "😀", "\uD83D\uDE00\uFE0F", "\uD800", "\uDC00", "\uDBFF",
        "ß", "ﬁ", "æ", "ø", "ł", "\uFDFA", "⒈", "①", "¹", "㎏", "\u33C2", "𠀀", "٣", "१", "中", "ก", "ǅ", "İ", "Á", "é",
    ];

    private static readonly string[] Words = ["isis", "al qaida", "daesh", "crisis", "abu", "the", "news", "ИГИЛ", "صدام", "u.s.", "x"];

    [Property(MaxTest = 2000)]
    public bool Fused_equals_reference_on_arbitrary_strings(string? input) => SameNormalization(input);

    [Property(MaxTest = 2000)]
    public bool Fused_equals_reference_on_adversarial_pieces(int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var k = random.Next(0, 40); k > 0; k--) sb.Append(Pieces[random.Next(Pieces.Length)]);
        return SameNormalization(sb.ToString());
    }

    [Property(MaxTest = 1000)]
    public bool Fused_equals_reference_on_obfuscated_words(int seed)
    {
        var random = new Random(seed);
        return SameNormalization(ObfuscatedText(random, random.Next(0, 12)));
    }

    [Property(MaxTest = 300)]
    public bool Fused_equals_reference_on_random_code_units(int seed)
    {
        // Any UTF-16 sequence, surrogates paired or not, from every plane's corner.
        var random = new Random(seed);
        var text = string.Create(random.Next(0, 60), random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)(r.Next(4) == 0 ? r.Next(0x80) : r.Next(0x10000));
        });
        return SameNormalization(text);
    }

    // Cyrillic/Greek words: mostly letters that fold to one char (the run TransliterateWord writes in one loop),
    // broken by expansions, spoof-only letters, Latin, digits, marks, format chars, surrogates and gaps.
    private static readonly string[] CyrillicGreekPieces =
    [
        "н", "о", "в", "с", "т", "и", "е", "г", "д", "р", "Н", "О", "В", "α", "β", "Ω", "λ", "ς",
        "я", "щ", "ж", "ё", "і", "ѕ", "ј", "a", "x", "4", "0", "$", "\u0301", "\u200D", "😀", "\uD800", " ", ".", "-",
    ];

    [Property(MaxTest = 1000)]
    public bool Fused_equals_reference_on_cyrillic_greek_words(int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var words = random.Next(1, 6); words > 0; words--)
        {
            for (var k = random.Next(1, 12); k > 0; k--)
                sb.Append(random.Next(4) == 0 ? CyrillicGreekPieces[random.Next(CyrillicGreekPieces.Length)] : CyrillicGreekPieces[random.Next(18)]);
            sb.Append(' ');
        }
        return SameNormalization(sb.ToString());
    }

    [Property(MaxTest = 300)]
    public bool Fused_equals_reference_with_an_offset(int seed)
    {
        // PatternMatcher normalises windows of a long text and adds the window's start to every offset.
        var random = new Random(seed);
        var text = ObfuscatedText(random, random.Next(1, 10));
        return SameNormalizationFrom(text, random.Next(text.Length + 1));
    }

    /// <summary>Both normalisers on <paramref name="text"/> from <paramref name="from"/>, offsets counted from there.</summary>
    private static bool SameNormalizationFrom(string text, int from)
    {
        var fused = new NormalizationBuffer();
        TextNormalizer.NormalizeInto(text.AsSpan(from), fused, from);
        var reference = new NormalizationBuffer();
        ReferenceTextNormalizer.NormalizeInto(text.AsSpan(from), reference, from);
        return fused.Text.SequenceEqual(reference.Text)
               && fused.Starts.AsSpan(0, fused.Length).SequenceEqual(reference.Starts.AsSpan(0, reference.Length))
               && fused.Ends.AsSpan(0, fused.Length).SequenceEqual(reference.Ends.AsSpan(0, reference.Length))
               && fused.Steps == reference.Steps;
    }

    [Property(MaxTest = 2000)]
    public bool Fused_equals_reference_on_ascii_runs_mixed_with_everything_else(int seed)
    {
        // The vector path copies up to 8 chars of a–z and spaces at once: runs of plain words of every length (one
        // letter: collapsible runs; two; long ones), single and double spaces, around and inside any other piece,
        // so that blocks start and end at every place in a word, and with a window offset.
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var k = random.Next(0, 25); k > 0; k--)
        {
            switch (random.Next(6))
            {
                case 0:
                    sb.Append(Pieces[random.Next(Pieces.Length)]);
                    break;
                case 1:
                    sb.Append(random.Next(3) == 0 ? "  " : " ");
                    break;
                case 2:
                    for (var j = random.Next(1, 6); j > 0; j--) sb.Append((char)('a' + random.Next(26))).Append(' ');
                    break;
                default:
                    var word = string.Create(random.Next(1, random.Next(2) == 0 ? 4 : 20), random, (span, r) =>
                    {
                        for (var c = 0; c < span.Length; c++) span[c] = (char)('a' + r.Next(26));
                    });
                    sb.Append(word).Append(random.Next(4) == 0 ? "" : " ");
                    break;
            }
        }
        var text = sb.ToString();
        return SameNormalization(text) && SameNormalizationFrom(text, random.Next(text.Length + 1));
    }

    [Property(MaxTest = 1000)]
    public bool Steps_of_a_span_equal_the_reference(int seed)
    {
        // StepsOf (a match's explanation) answers plain lowercase text without normalising it; mostly such text
        // here, with one-letter words (collapsible runs) and an occasional other piece.
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var k = random.Next(0, 30); k > 0; k--)
            sb.Append(random.Next(10) switch
            {
                0 => Pieces[random.Next(Pieces.Length)],
                < 4 => " ",
                _ => (char)('a' + random.Next(26)),
            });
        var text = sb.ToString();
        return TextNormalizer.StepsOf(text) == ReferenceTextNormalizer.Normalize(text).Steps;
    }

    [Theory]
    [InlineData("x I.S.I.S y")]
    [InlineData("a.b.c d e f")]
    [InlineData("a b.c.d")]
    [InlineData("i s i s i s i s")]
    [InlineData("u.s. army a b")]
    [InlineData("i \u200B s \u200B i \u200B s")]
    [InlineData("\u200Bi.s.i.s\u200B")]
    [InlineData("isis! x !! y")]
    [InlineData("4 b c")]
    [InlineData("\uD835\uDC08.\uD835\uDC12.\uD835\uDC08")]
    [InlineData("ѕ.і.ѕ")]
    [InlineData("Ιsis ИГИЛ іѕіѕ")]
    [InlineData("d4esh 1sis isis2015 @name covid 19 a1 qaeda")]
    [InlineData("ﷺ ﷽ ß⒈ ⒈a a⒈b")]
    [InlineData("the video posted today about news and crisis")]
    [InlineData("abcdefgh ij klmnopq r s t uv  wx yz")]
    [InlineData("word a b c word ab c d e fgh")]
    [InlineData("x I S I S abc i s i s abcdefghijk")]
    public void Fused_equals_reference_on_known_cases(string input) => Assert.True(SameNormalization(input), input);

    [Property(MaxTest = 300)]
    public bool Screening_equals_reference_matcher(int seed)
    {
        var random = new Random(seed);
        var patterns = Enumerable.Range(0, random.Next(1, 25))
            .Select(i => new Pattern(i, random.Next(3) == 0 ? Words[random.Next(Words.Length)] : PieceText(random, random.Next(1, 6)), Weak: random.Next(5) == 0))
            .ToList();
        var text = random.Next(2) == 0 ? ObfuscatedText(random, random.Next(0, 15)) : PieceText(random, random.Next(0, 60));
        var fast = PatternMatcher.Build(patterns).FindAll(text);
        var reference = new ReferencePatternMatcher(patterns).FindAll(text);
        return Key(fast).SequenceEqual(Key(reference));
    }

    [Property(MaxTest = 100)]
    public bool Screening_equals_reference_matcher_on_long_texts(int seed)
    {
        // Long enough for the automaton's two interleaved streams.
        var random = new Random(seed);
        var patterns = Enumerable.Range(0, random.Next(1, 25))
            .Select(i => new Pattern(i, Words[random.Next(Words.Length)] + (random.Next(3) == 0 ? " " + Words[random.Next(Words.Length)] : ""), Weak: random.Next(5) == 0))
            .ToList();
        var text = ObfuscatedText(random, random.Next(100, 600));
        var fast = PatternMatcher.Build(patterns).FindAll(text);
        var reference = new ReferencePatternMatcher(patterns).FindAll(text);
        return Key(fast).SequenceEqual(Key(reference));
    }

    private static IEnumerable<(int, int, int, string, NormalizationSteps)> Key(IEnumerable<TextMatch> matches) =>
        matches.Select(m => (m.PatternId, m.Start, m.End, m.Normalized, m.Steps)).Order();

    private static string PieceText(Random random, int pieces)
    {
        var sb = new StringBuilder();
        for (var k = 0; k < pieces; k++) sb.Append(Pieces[random.Next(Pieces.Length)]);
        return sb.ToString();
    }

    private static string ObfuscatedText(Random random, int words)
    {
        var sb = new StringBuilder();
        for (var k = 0; k < words; k++)
        {
            var word = Words[random.Next(Words.Length)];
            sb.Append(random.Next(3) == 0 ? word : Obfuscator.Apply(Obfuscator.LatinKinds[random.Next(Obfuscator.LatinKinds.Length)], word, random));
            sb.Append(random.Next(4) == 0 ? Pieces[random.Next(Pieces.Length)] : " ");
        }
        return sb.ToString();
    }

    private static bool SameNormalization(string? input)
    {
        var fused = TextNormalizer.Normalize(input);
        var reference = ReferenceTextNormalizer.Normalize(input);
        return string.Equals(fused.Text, reference.Text, StringComparison.Ordinal)
               && fused.Starts.SequenceEqual(reference.Starts)
               && fused.Ends.SequenceEqual(reference.Ends)
               && fused.Steps == reference.Steps;
    }
}
