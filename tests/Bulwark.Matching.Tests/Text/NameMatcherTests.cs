using Bulwark.Matching.Text;

namespace Bulwark.Matching.Tests.Text;

public class NameMatcherTests
{
    private static readonly NameMatcher Matcher = NameMatcher.Build(
    [
        new NameEntry(1, "Abu Bakr al-Baghdadi"),
        new NameEntry(2, "Ayman al-Zawahiri"),
        new NameEntry(2, "Ayman Al-Zawahari"),
        new NameEntry(3, "Saddam Hussein al-Tikriti"),
        new NameEntry(3, "صدام حسين التكريتي"),
        new NameEntry(4, "Abu Mohamed", Weak: true),
        new NameEntry(5, "Mohamed Hassan"),
    ]);

    [Theory]
    [InlineData("abu_bakr_albaghdadi99", 1)]
    [InlineData("AbuBakrAlBaghdadi", 1)]
    [InlineData("al-Baghdadi, Abu Bakr", 1)]
    [InlineData("A. Bakr al-Baghdadi", 1)]
    [InlineData("Aymen al Zawahry", 2)]
    [InlineData("ṣaddām ḥusayn al-tikrītī", 3)]
    [InlineData("Ѕаddam Ηussein Tikriti", 3)]
    [InlineData("Abu Mohamed", 4)]
    public void Resolves_variants_to_their_entity(string query, int id)
    {
        var best = Matcher.Match(query, 0.75);
        Assert.NotEmpty(best);
        Assert.Equal(id, best[0].Id);
        Assert.InRange(best[0].Score, 0.75, 1.0);
        Assert.NotEmpty(best[0].Tokens);
    }

    [Theory]
    [InlineData("Abu Mohammed Hassan")]
    [InlineData("John Smith")]
    [InlineData("")]
    public void Weak_aliases_only_match_exactly(string query) =>
        Assert.DoesNotContain(Matcher.Match(query, 0.9), m => m.Id == 4);

    [Fact]
    public void Explains_each_token()
    {
        var match = Matcher.Match("Ayman al-Zawahry", 0.7)[0];
        Assert.Collection(match.Tokens,
            t => Assert.Equal(("ayman", "exact"), (t.QueryToken, t.How)),
            t => Assert.Equal(("zawahry", "fuzzy"), (t.QueryToken, t.How)));
    }
}
