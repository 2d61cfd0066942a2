using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Policy;

namespace Bulwark.Tests.Policy;

/// <summary>
/// The time/place patterns read up to 64 KiB of anyone's text. They must run on the linear (non-backtracking) engine with
/// no match timeout, which CPU load alone could trip and which used to fail the whole stage; and still find the right thing.
/// </summary>
public sealed class TimePlaceExtractorTests
{
    private const int Size = 64 * 1024;

    [Fact]
    public void Patterns_run_on_the_linear_engine_without_a_match_timeout()
    {
        Assert.Equal(2, TimePlaceExtractor.Patterns.Count);
        foreach (var pattern in TimePlaceExtractor.Patterns)
        {
            Assert.True(pattern.Options.HasFlag(RegexOptions.NonBacktracking), $"{pattern} is not NonBacktracking");
            Assert.Equal(Regex.InfiniteMatchTimeout, pattern.MatchTimeout);
        }
    }

    public static TheoryData<string, string, string?, string?> Adversarial() => new()
    {
        // Long runs of the patterns' prefixes that never complete, then (sometimes) a real expression at the very end.
        { "at-the", "at the ", null, null },
        { "at-the-then-place", "at the ", null, "at the school" },
        { "alle", "alle ", null, null },
        { "alle-then-time", "alle ", "alle 15", null },
        { "digits-and-spaces", "1 2 ", null, null },
        { "digits-then-pm", "12 ", "7pm", null },
        { "davanti", "davanti alla ", null, "davanti alla stazione" },
        { "next-on", "next on at in ", "tomorrow", "near the station" },
        { "colons", "1:2:3:", null, null },
    };

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Adversarial_64_KiB_input_completes_with_the_right_answer(string name, string unit, string? time, string? place)
    {
        var sb = new StringBuilder(Size + 64);
        while (sb.Length < Size) sb.Append(unit);
        var tail = name switch
        {
            "at-the-then-place" => "school",
            "alle-then-time" => "15",
            "digits-then-pm" => "7pm",
            "davanti" => "stazione",
            "next-on" => "tomorrow near the station",
            _ => "",
        };
        // Trailing letters keep a half-finished expression from matching by accident ("at the " + "x").
        var text = sb.Append(tail.Length > 0 ? tail : "xq").ToString();
        Assert.Equal((time, place), TimePlaceExtractor.Find(text));
    }

    [Fact]
    public void Known_expressions_are_found_as_before()
    {
        Assert.Equal(("tomorrow", "at the school"), TimePlaceExtractor.Find("I will be at the school tomorrow"));
        Assert.Equal(("at 3pm", null), TimePlaceExtractor.Find("see you at 3pm"));
        Assert.Equal(("at 10:30 am", null), TimePlaceExtractor.Find("meet at 10:30 am sharp"));
        Assert.Equal(("alle ore 15.30", "nel mercato"), TimePlaceExtractor.Find("ci vediamo alle ore 15.30 nel mercato"));
        Assert.Equal(("venerdì", "davanti alla stazione"), TimePlaceExtractor.Find("venerdì davanti alla stazione"));
        Assert.Equal((null, null), TimePlaceExtractor.Find("attheschool tomorrows alle15"));
    }
}
