using Bulwark.Core.Actions.Review;
using Bulwark.Core.Notices;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using static Bulwark.Tests.Notices.NoticeScenario;

namespace Bulwark.Tests.Console;

/// <summary>
/// The case page's reports tab reads the DSA notices about the item (issue 23, item 1): each notice's reason as the notifier
/// wrote it, whether a trusted flagger sent it and which one, its status; a reporting user is never named. Both providers.
/// </summary>
public class CaseReportsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_case_shows_each_notices_reason_and_whether_a_trusted_flagger_sent_it(DatabaseProvider provider)
    {
        var (core, _) = await StartAsync(provider);
        await using var _ = core;
        await PostBenignAsync(core, "rep-1", "rep-2");
        var flagger = await core.Get<TrustedFlaggers>().CreateAsync(new TrustedFlaggerInput("Invented Watch Org", "violent extremism", "Invented DSC", "watch@example.org"), "tester", default);
        Assert.Null(flagger.Error);
        var notices = core.Get<NoticeService>();
        Assert.True((await notices.SubmitAsync(Notice("rep-1"), "api", default)).Ok);
        var trusted = new NoticeSubmission("rep-1", null, "Synthetic reason: the caption recruits for an invented group.", new NotifierInput("Analyst", "analyst@example.org"), true, flagger.Flagger!.Id);
        var sent = await notices.SubmitAsync(trusted, "api", default);
        Assert.True(sent.Ok, string.Join("; ", sent.Errors.Select(e => e.Field + " " + e.Message)));

        var c = await Review.ReviewScenario.CaseOfAsync(core, "rep-1");
        var context = (await core.Get<CaseContextService>().GetAsync(c.Id, default))!;
        var reports = context.Reports!;
        Assert.Equal(2, reports.Count);
        Assert.Equal((true, "Invented Watch Org", "Synthetic reason: the caption recruits for an invented group."), (reports[0].TrustedFlagger, reports[0].Organisation, reports[0].Reason));
        Assert.Equal((false, null, Explanation, NoticeSources.UserReport), (reports[1].TrustedFlagger, reports[1].Organisation, reports[1].Reason, reports[1].Source));
        Assert.DoesNotContain(reports, r => r.Organisation == "Example Notifier" || r.Reason.Contains("notifier@example.org"));

        // An item nobody reported has no reports.
        var quiet = await core.Get<CaseContextService>().GetAsync(c.Id + 1000, default);
        Assert.Null(quiet);
    }
}
