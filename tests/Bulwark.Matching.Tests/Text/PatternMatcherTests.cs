using Bulwark.Matching.Text;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Text;

public class PatternMatcherTests
{
    private static readonly PatternMatcher Matcher = PatternMatcher.Build(
    [
        new Pattern(1, "ISIS"), new Pattern(2, "al-Qaida"), new Pattern(3, "Abu", Weak: true), new Pattern(4, "Islamic State"),
    ]);

    [Theory]
    [InlineData("I.S.I.S and crisis", 1, "I.S.I.S")]
    [InlineData("support 4l-q4ida now", 2, "4l-q4ida")]
    [InlineData("#alqaida", 2, "alqaida")]
    [InlineData("the 1slamic $tate", 4, "1slamic $tate")]
    [InlineData("ｉｓｉｓ2015", 1, "ｉｓｉｓ")]
    [InlineData("ABU said", 3, "ABU")]
    public void Finds_obfuscated_patterns_with_original_span(string text, int id, string span)
    {
        var match = Assert.Single(Matcher.FindAll(text));
        Assert.Equal(id, match.PatternId);
        Assert.Equal(span, text[match.Start..match.End]);
    }

    [Theory]
    [InlineData("a crisis of faith")]
    [InlineData("4bu")]
    [InlineData("abusive")]
    [InlineData("")]
    public void Respects_words_and_weak_patterns(string text) => Assert.Empty(Matcher.FindAll(text));

    [Fact]
    public void Explains_steps()
    {
        var match = Assert.Single(Matcher.FindAll("join і.ѕ.і.ѕ"));
        Assert.True(match.Steps.HasFlag(NormalizationSteps.SeparatorsCollapsed));
        Assert.True(match.Steps.HasFlag(NormalizationSteps.Confusable));
    }

    [Fact]
    public void Finds_matches_across_scan_windows()
    {
        var filler = string.Concat(Enumerable.Repeat("lorem ipsum ", PatternMatcher.WindowSize / 6));
        var text = filler + "isis " + filler + "al qaida";
        var matches = Matcher.FindAll(text);
        Assert.Equal([1, 2], matches.Select(m => m.PatternId));
        Assert.Equal("al qaida", text[matches[1].Start..matches[1].End]);
    }

    // Small alphabet so that random patterns overlap, nest and repeat often.
    private const string Alphabet = "aabilst 14.$ІЅ\u200B-";

    [Property(MaxTest = 300)]
    public bool Automaton_equals_naive_reference(int seed)
    {
        var random = new Random(seed);
        var patterns = Enumerable.Range(0, random.Next(1, 30))
            .Select(i => new Pattern(i, RandomText(random, random.Next(1, 7)), Weak: random.Next(5) == 0))
            .ToList();
        var text = RandomText(random, random.Next(0, 200));
        var fast = PatternMatcher.Build(patterns).FindAll(text);
        var reference = new ReferencePatternMatcher(patterns).FindAll(text);
        return Key(fast).SequenceEqual(Key(reference));
    }

    private static IEnumerable<(int, int, int)> Key(IEnumerable<TextMatch> matches) =>
        matches.Select(m => (m.PatternId, m.Start, m.End)).Order();

    private static string RandomText(Random random, int length) =>
        string.Create(length, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = Alphabet[r.Next(Alphabet.Length)]; });
}
