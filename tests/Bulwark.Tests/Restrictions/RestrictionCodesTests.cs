using System.Globalization;
using System.Reflection;
using System.Resources;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Server;

namespace Bulwark.Tests.Restrictions;

/// <summary>
/// The writer's codes are a contract (docs/api.md) and the console words each one in English and Italian: a code added
/// without its words, or left in English on the Italian side, fails here rather than on a moderator's screen.
/// </summary>
public class RestrictionCodesTests
{
    private static readonly ResourceManager Text = new("Bulwark.Server.Resources.ReviewText", typeof(ReviewText).Assembly);

    private static IEnumerable<string> Declared() =>
        typeof(RestrictionCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_code_is_listed_once_as_a_refusal_or_a_note()
    {
        var listed = RestrictionCodes.Refusals.Concat(RestrictionCodes.Notes).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(Declared().Order(), listed.Order());
        Assert.All(listed, c => Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", c));
    }

    [Fact]
    public void Every_code_has_english_and_italian_words_with_the_same_placeholders()
    {
        foreach (var (prefix, codes) in new[] { ("Restrict_Refusal_", RestrictionCodes.Refusals), ("Restrict_Note_", RestrictionCodes.Notes) })
            foreach (var code in codes)
            {
                var en = Text.GetString(prefix + code, CultureInfo.InvariantCulture);
                var it = Text.GetString(prefix + code, CultureInfo.GetCultureInfo("it"));
                Assert.False(string.IsNullOrWhiteSpace(en), $"{prefix}{code} has no English words");
                Assert.False(string.IsNullOrWhiteSpace(it), $"{prefix}{code} has no Italian words");
                // Only a code that passes another service's message through may read the same in both languages.
                if (code != RestrictionCodes.ReviewCaseRefused) Assert.NotEqual(en, it);
                Assert.Equal(Placeholders(en!), Placeholders(it!));
            }
    }

    [Fact]
    public void Every_review_refusal_code_is_distinct_and_has_english_and_italian_words_with_the_same_placeholders()
    {
        var declared = typeof(Bulwark.Core.Actions.Review.ReviewCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order().ToList();
        Assert.Equal(declared, Bulwark.Core.Actions.Review.ReviewCodes.All.Order().ToList());
        Assert.Equal(declared.Count, declared.Distinct().Count());
        // The console picks the resource family by the code, so the two vocabularies never share a code.
        Assert.Empty(declared.Intersect(RestrictionCodes.Refusals.Concat(RestrictionCodes.Notes)));
        foreach (var code in declared)
        {
            Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", code);
            var en = Text.GetString("Review_Refusal_" + code, CultureInfo.InvariantCulture);
            var it = Text.GetString("Review_Refusal_" + code, CultureInfo.GetCultureInfo("it"));
            Assert.False(string.IsNullOrWhiteSpace(en), $"Review_Refusal_{code} has no English words");
            Assert.False(string.IsNullOrWhiteSpace(it), $"Review_Refusal_{code} has no Italian words");
            Assert.NotEqual(en, it);
            Assert.Equal(Placeholders(en!), Placeholders(it!));
        }
    }

    private static List<string> Placeholders(string s) =>
        System.Text.RegularExpressions.Regex.Matches(s, @"\{\d+(:[^}]*)?\}").Select(m => m.Value).Order(StringComparer.Ordinal).ToList();
}
