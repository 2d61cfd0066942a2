using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Server;
using Bulwark.Server.ConsoleUi;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bulwark.Tests.Restrictions;

/// <summary>
/// How the console words the writer's refusals and a case's outcome, through the console's own localizer: zero-tolerance
/// sentences read as Italian for every violation kind the catalogue names, and the localised outcome keeps the escalation
/// queue and the content measures skipped because the platform deleted the content.
/// </summary>
public class RestrictionWordingTests
{
    private static readonly IStringLocalizer Text =
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
            .Create(typeof(ReviewText));

    private static readonly string[] ZeroToleranceCodes =
        [RestrictionCodes.ZeroToleranceBan, RestrictionCodes.ZeroToleranceNotListed, RestrictionCodes.ZeroToleranceNotPermitted];

    /// <summary>Every (policy, kind) a zero-tolerance sentence can name with the shipped catalogue; "violation" when no kind is given.</summary>
    public static TheoryData<string, string> Kinds()
    {
        var catalogue = PolicyCatalogue.Parse(ShippedPolicy.Read("catalogue.json"), out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        var data = new TheoryData<string, string>();
        foreach (var p in (catalogue.Policies ?? []).Where(p => p.ZeroTolerance))
            foreach (var kind in (p.ZeroToleranceFor ?? []).Append("violation"))
                data.Add(p.Id!, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Zero_tolerance_reads_as_italian_for_every_kind_of_the_catalogue(string policy, string kind)
    {
        foreach (var code in ZeroToleranceCodes)
        {
            var message = new RestrictionMessage(code, [kind, policy, Measures.AccountBan], "English detail");
            var it = In("it", () => ReviewUi.Restriction(Text, message, note: code == RestrictionCodes.ZeroToleranceBan));
            var en = In("en", () => ReviewUi.Restriction(Text, message, note: code == RestrictionCodes.ZeroToleranceBan));
            Assert.NotEqual("English detail", it);
            Assert.DoesNotMatch(@"\{\d", it);
            Assert.DoesNotMatch(@"\{\d", en);
            Assert.Contains(policy, it);
            // Before: "Una support confermata di VE-DOI …" — the English kind, with an article of the wrong gender.
            foreach (var english in kind.Split('-').Append(kind).Concat(["support", "representation", "threat", "credible", "ban", "confirmed"]))
                Assert.DoesNotMatch(new Regex($@"(?<![\p{{L}}-]){Regex.Escape(english)}(?![\p{{L}}-])", RegexOptions.IgnoreCase), it);
            Assert.DoesNotMatch(@"\b(Una|Un)\b", it);
            Assert.Contains(In("it", () => ReviewUi.ViolationKind(Text, kind)), it);
            Assert.Contains(In("en", () => ReviewUi.ViolationKind(Text, kind)), en);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_of_the_catalogue_has_words_in_both_languages(string policy, string kind)
    {
        _ = policy;
        Assert.NotEqual(kind, In("it", () => ReviewUi.ViolationKind(Text, kind)));
        Assert.False(Text["ViolationKind." + kind].ResourceNotFound);
        Assert.NotEqual(In("en", () => ReviewUi.ViolationKind(Text, kind)), In("it", () => ReviewUi.ViolationKind(Text, kind)));
    }

    [Fact]
    public void The_localised_outcome_names_the_escalation_queue_in_both_languages()
    {
        var escalated = Result(ReviewVerdict.Escalate, []) with { EscalatedTo = "threat-to-life" };
        Assert.Equal("inoltrato alla coda «threat-to-life»", In("it", () => ReviewUi.Outcome(Text, escalated)));
        Assert.Equal("sent on to the queue “threat-to-life”", In("en", () => ReviewUi.Outcome(Text, escalated)));
    }

    [Fact]
    public void The_localised_outcome_says_content_measures_were_skipped_when_the_content_was_deleted_upstream()
    {
        var deleted = Result(ReviewVerdict.Violation, [Measures.ContentRemove, Measures.AccountStrike]) with { ContentDeletedUpstream = true };
        var it = In("it", () => ReviewUi.Outcome(Text, deleted));
        Assert.Equal("Assegna un richiamo all'account, misure sul contenuto non applicate: la piattaforma aveva già eliminato il contenuto", it);
        // The removal that was not made is not listed as done.
        Assert.DoesNotContain("Rimuovi", it);
        Assert.Contains("already deleted the content", In("en", () => ReviewUi.Outcome(Text, deleted)));
        var nothingElse = Result(ReviewVerdict.Violation, [Measures.ContentRemove]) with { ContentDeletedUpstream = true };
        Assert.Equal("nessuna misura, misure sul contenuto non applicate: la piattaforma aveva già eliminato il contenuto", In("it", () => ReviewUi.Outcome(Text, nothingElse)));
    }

    private static ReviewDecisionResult Result(string verdict, IReadOnlyList<string> actions) =>
        new(1, "known-content", verdict, "VE-GLORIFY", actions, "stored English outcome", false, null, null);

    private static T In<T>(string culture, Func<T> f)
    {
        var (ui, c) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try { return f(); }
        finally { (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, c); }
    }
}
