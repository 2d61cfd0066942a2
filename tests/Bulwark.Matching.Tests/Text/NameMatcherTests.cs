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
        new NameEntry(6, "Sa'id Jan 'Abd al-Salam"),
        new NameEntry(7, "خميس سرحان المحمد"),
        new NameEntry(8, "Gure Gap"),
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
    [InlineData("54DDAM HUSSE1N 4L-7IKR1T1", 3)]
    [InlineData("ṣdām ḥsīn āltkrītī", 3)]
    [InlineData("Ｓａ＇ｉｄ Ｊａｎ ＇Ａｂｄ－ａｌ－Ｓａｌａｍ", 6)]
    [InlineData("ḫmīs srḥān ālmḥmd", 7)]
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
    public void Glued_names_do_not_match_a_much_shorter_token() =>
        Assert.DoesNotContain(Matcher.Match("Gurg", 0.75), m => m.Id == 8);

    [Fact]
    public void Unpaired_tokens_cost_more_than_their_share_of_weight()
    {
        NameEntry[] entries = [new(5, "Mohamed Hassan"), new(1, "Abu Bakr al-Baghdadi"), new(9, "Mohamed Ali")];
        double Score(double penalty) => NameMatcher.Build(entries, new NameMatcherOptions { UnpairedPenalty = penalty })
            .Match("Mohamed Hassan Baghdadi", 0.0).Single(m => m.Id == 5).Score;
        Assert.True(Score(0.1) < Score(0.0));
        Assert.Equal(1.0, NameMatcher.Build(entries).Match("Mohamed Hassan", 0.9).Single(m => m.Id == 5).Score);
    }

    [Theory]
    [InlineData("isis2015", "isis")]
    [InlineData("albaghdadi99", "baghdadi")]
    [InlineData("D4R4554", "darassa")]
    [InlineData("54DDAM", "saddam")]
    public void Leetspeak_digit_runs_at_word_edges_are_read_only_when_all_are_substitutes(string name, string token) =>
        Assert.Equal(token, Assert.Single(NameTokenizer.Tokenize(name, splitCamelCase: false, out _)).Text);

    [Theory]
    [InlineData("khalid", "halid")]
    [InlineData("jamal", "gamal")]
    [InlineData("shahid", "sahid")]
    [InlineData("sajidah", "sajida")]
    public void Consonant_skeletons_ignore_romanisation_differences(string a, string b) =>
        Assert.Equal(NameTokenizer.Consonants(a), NameTokenizer.Consonants(b));

    [Fact]
    public void Explains_each_token()
    {
        var match = Matcher.Match("Ayman al-Zawahry", 0.7)[0];
        Assert.Collection(match.Tokens,
            t => Assert.Equal(("ayman", "exact"), (t.QueryToken, t.How)),
            t => Assert.Equal(("zawahry", "fuzzy"), (t.QueryToken, t.How)));
    }
}
