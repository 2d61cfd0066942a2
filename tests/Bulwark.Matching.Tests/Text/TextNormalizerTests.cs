using Bulwark.Matching.Text;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("I.S.I.S", "isis", NormalizationSteps.SeparatorsCollapsed)]
    [InlineData("I S I S", "isis", NormalizationSteps.SeparatorsCollapsed)]
    [InlineData("i-s-i-s", "isis", NormalizationSteps.SeparatorsCollapsed)]
    [InlineData("Ｉｓｉｓ", "isis", NormalizationSteps.CompatibilityFold)]
    [InlineData("𝐈𝐒𝐈𝐒", "isis", NormalizationSteps.CompatibilityFold)]
    [InlineData("іѕіѕ", "isis", NormalizationSteps.Confusable)]
    [InlineData("ISIЅ", "isis", NormalizationSteps.Confusable)]
    [InlineData("is\u200Bis", "isis", NormalizationSteps.FormatRemoved)]
    [InlineData("d4esh", "daesh", NormalizationSteps.Leetspeak)]
    [InlineData("1s1s", "isis", NormalizationSteps.Leetspeak)]
    [InlineData("Ál-Qāʿida", "al qaida", NormalizationSteps.DiacriticsRemoved)]
    [InlineData("ИГИЛ", "igil", NormalizationSteps.Transliterated)]
    [InlineData("صدام", "sdam", NormalizationSteps.Transliterated)]
    [InlineData("ﬁsh", "fish", NormalizationSteps.CompatibilityFold)]
    public void Undoes_obfuscation(string input, string expected, NormalizationSteps step)
    {
        var result = TextNormalizer.Normalize(input);
        Assert.Equal(expected, result.Text);
        Assert.True(result.Steps.HasFlag(step), $"expected {step} in {result.Steps}");
    }

    [Theory]
    [InlineData("crisis", "crisis")]
    [InlineData("isis2015", "isis2015")]
    [InlineData("covid 19", "covid 19")]
    [InlineData("u.s. army", "u s army")]
    [InlineData("a b", "a b")]
    [InlineData("isis!", "isis")]
    [InlineData("@isis", "isis")]
    public void Leaves_ordinary_text_alone(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);

    [Fact]
    public void Maps_back_to_original_offsets()
    {
        var input = "x Ｉ.Ѕ.І.S y";
        var result = TextNormalizer.Normalize(input);
        Assert.Equal("x isis y", result.Text);
        var (start, end) = result.ToOriginal(2, 4);
        Assert.Equal("Ｉ.Ѕ.І.S", input[start..end]);
    }

    // Digits whose compatibility form is several chars: "⒈" = "1.", "⑴" = "(1)", "⒒" = "11.", "⑩" = "10", "½" = "1⁄2",
    // "㋀" = "1月". Their punctuation goes as it would typed out; a digit folding to several chars is written out
    // (once its expansion index was written as a char), each char mapped to the whole code point, never read as leet.
    [Theory]
    [InlineData("\u2488", "1", new[] { 0 }, new[] { 1 })]                          // ⒈
    [InlineData("\u2474", "1", new[] { 0 }, new[] { 1 })]                          // ⑴
    [InlineData("\u2492", "11", new[] { 0, 0 }, new[] { 1, 1 })]                   // ⒒
    [InlineData("\u2469", "10", new[] { 0, 0 }, new[] { 1, 1 })]                   // ⑩
    [InlineData("\u247D", "10", new[] { 0, 0 }, new[] { 1, 1 })]                   // ⑽
    [InlineData("\u32C0", "1\u6708", new[] { 0, 0 }, new[] { 1, 1 })]             // ㋀
    [InlineData("step \u2488 go", "step 1 go", new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData("a\u2492b", "a11b", new[] { 0, 1, 1, 2 }, new[] { 1, 2, 2, 3 })]
    [InlineData("x\u2492\u2492", "x1111", new[] { 0, 1, 1, 2, 2 }, new[] { 1, 2, 2, 3, 3 })]
    [InlineData("\u2492 \u2474", "11 1", new[] { 0, 0, 1, 2 }, new[] { 1, 1, 2, 3 })]
    [InlineData("a\u2474b", "aib", new[] { 0, 1, 2 }, new[] { 1, 2, 3 })]          // one char, so leet like "a1b"
    public void Writes_digits_with_compatibility_expansions(string input, string expected, int[] starts, int[] ends)
    {
        var fused = TextNormalizer.Normalize(input);
        Assert.Equal(expected, fused.Text);
        Assert.Equal(starts, fused.Starts);
        Assert.Equal(ends, fused.Ends);
        Assert.True(fused.Steps.HasFlag(NormalizationSteps.CompatibilityFold), fused.Steps.ToString());
        var reference = ReferenceTextNormalizer.Normalize(input);
        Assert.Equal(expected, reference.Text);
        Assert.Equal(starts, reference.Starts);
        Assert.Equal(ends, reference.Ends);
        Assert.Equal(fused.Steps, reference.Steps);
    }

    [Fact]
    public void Handles_empty_null_and_lone_surrogates()
    {
        Assert.Equal("", TextNormalizer.Normalize("").Text);
        Assert.Equal("", TextNormalizer.Normalize(null).Text);
        var r = TextNormalizer.Normalize("a\uD800b\uDC00c");
        Assert.Equal("a b c", r.Text);
        Assert.True(r.Steps.HasFlag(NormalizationSteps.InvalidSurrogate));
    }

    [Fact]
    public void Handles_huge_input()
    {
        var huge = string.Concat(Enumerable.Repeat("Ｉ.Ѕ.І.S and crisis ", 200_000));
        var r = TextNormalizer.Normalize(huge);
        Assert.StartsWith("isis and crisis isis", r.Text, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool Never_throws_and_map_is_ordered_and_in_range(string? input)
    {
        var r = TextNormalizer.Normalize(input);
        var length = input?.Length ?? 0;
        for (var i = 0; i < r.Text.Length; i++)
        {
            if (r.Starts[i] < 0 || r.Ends[i] > length || r.Starts[i] >= r.Ends[i]) return false;
            if (i > 0 && r.Starts[i] < r.Starts[i - 1]) return false;
        }
        return !r.Text.StartsWith(' ') && !r.Text.EndsWith(' ') && !r.Text.Contains("  ", StringComparison.Ordinal);
    }
}
