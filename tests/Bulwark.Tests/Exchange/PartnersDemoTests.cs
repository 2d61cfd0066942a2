using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Notices;
using Bulwark.Core.Signals.Exchange;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Server.Hosting.DemoPartners;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Exchange;

/// <summary>
/// Issue 19's "done when", as <c>--demo</c> wires it: the fake partners' lists and alert synchronise into banks and queues
/// and a moderator's decisions go back to them; a notice sent through <c>/report</c> reaches a moderator and the decision
/// reaches the notifier; the trusted flagger's notice ranks first.
/// </summary>
public partial class PartnersDemoTests
{
    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken|Puzzle)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenField();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_demo_partners_synchronise_and_hear_back_and_a_notice_from_the_public_form_reaches_a_moderator_and_its_notifier(DatabaseProvider provider)
    {
        // Exactly what Program.cs does with --demo: the fakes on loopback, two exchanges reading them, the seeders.
        var (tcap, te, settings) = await DemoExchanges.StartFakesAsync(new ConfigurationBuilder().Build());
        await using var fakes = new DemoPartnerFakes(tcap, te);
        settings["Bulwark:Review:QaSampleRate"] = "0";
        await using var host = await ApiHost.StartAsync(provider, settings);
        var services = host.Services;
        await services.GetRequiredService<DemoNotices>().SeedAsync(default);
        await services.GetRequiredService<DemoExchanges>().SeedAsync(default);
        var demoNotices = services.GetRequiredService<DemoNotices>().SendDemoNoticesAsync(default);

        // The lists are in their banks; TCAP's password and the tokens are never shown.
        var exchanges = await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/exchanges");
        var tcapView = exchanges.EnumerateArray().Single(e => e.GetProperty("name").GetString() == DemoExchanges.Tcap);
        var teView = exchanges.EnumerateArray().Single(e => e.GetProperty("name").GetString() == DemoExchanges.ThreatExchange);
        Assert.Equal((2, 0, 1), (tcapView.GetProperty("entries").GetInt32(), tcapView.GetProperty("deletedEntries").GetInt32(), tcapView.GetProperty("alerts").GetInt32()));
        Assert.Equal(2, teView.GetProperty("entries").GetInt32());
        Assert.DoesNotContain(FakeTcap.Password, exchanges.GetRawText());
        Assert.DoesNotContain(FakeThreatExchange.Token, exchanges.GetRawText());
        Assert.DoesNotContain("fake-tcap-jwt", exchanges.GetRawText());

        // The uploaded copies match the partners' hashes and wait for a person; the alert reaches the threat-to-life queue.
        foreach (var (id, exchange) in new[] { (DemoExchanges.TcapItem, DemoExchanges.Tcap), (DemoExchanges.ThreatExchangeItem, DemoExchanges.ThreatExchange) })
        {
            var item = await host.WaitForStatusAsync(id);
            Assert.Equal("review", item.GetProperty("decision").GetProperty("outcome").GetString());
            Assert.Contains(item.GetProperty("signals").EnumerateArray(), s => s.GetProperty("type").GetString() == "hash.match"
                && s.GetProperty("bank").GetString() == (exchange == DemoExchanges.Tcap ? "demo-tcap-hashes" : "demo-threatexchange"));
        }
        await host.WaitForStatusAsync(ExchangeSyncService.AlertContentId(DemoExchanges.Tcap, 1));
        Assert.Equal("threat-to-life", (await CaseAsync(services, ExchangeSyncService.AlertContentId(DemoExchanges.Tcap, 1))).Queue);

        // A moderator finds both matches harmless: the exchange fetcher sends both back (TCAP by its FALSE_POSITIVE category).
        await DecideAsync(services, (await CaseAsync(services, DemoExchanges.TcapItem)).Id, violation: false);
        await DecideAsync(services, (await CaseAsync(services, DemoExchanges.ThreatExchangeItem)).Id, violation: false);
        Assert.True(await Eventually.UntilAsync(() => Task.FromResult(tcap.Feedback.Contains(($"{DemoExchanges.TcapHash}", "FALSE_POSITIVE")))), "TCAP never heard FALSE_POSITIVE");
        Assert.True(await Eventually.UntilAsync(() => Task.FromResult(!te.Descriptors.IsEmpty)), "ThreatExchange never got a NON_MALICIOUS descriptor");
        Assert.EndsWith(":NON_MALICIOUS", Assert.Single(te.Descriptors));
        var sent = await services.GetRequiredService<ExchangeFeedback>().ListAsync(null, 10, default);
        Assert.Equal(2, sent.Count);
        Assert.True(await Eventually.UntilAsync(async () => (await services.GetRequiredService<ExchangeFeedback>().ListAsync(null, 10, default)).All(f => f.Status == FeedbackStatus.Sent)));

        // The public form: no account, a proof of work, the receipt at once.
        await host.WaitForStatusAsync(DemoNotices.FormItem);
        using var browser = host.Client(null);
        var form = await browser.GetStringAsync("/report");
        var fields = HiddenField().Matches(form).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        var bits = int.Parse(Regex.Match(form, "data-pow-bits=\"(\\d+)\"").Groups[1].Value);
        var posted = await browser.PostAsync("/report", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = fields["__RequestVerificationToken"], ["Puzzle"] = fields["Puzzle"], ["Counter"] = FormGuard.Solve(fields["Puzzle"], bits),
            ["Location"] = DemoNotices.FormItem, ["Explanation"] = "DEMO: the caption praises an invented attack.", ["NotifierName"] = "Demo Reporter",
            ["NotifierEmail"] = "demo.reporter@example.org", ["GoodFaith"] = "true",
        }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        long noticeId;
        await using (var db = services.GetRequiredService<IBulwarkDbFactory>().Create())
            noticeId = (await db.Set<NoticeRow>().AsNoTracking().SingleAsync(n => n.ContentId == DemoNotices.FormItem)).Id;
        Assert.Contains($"{noticeId}", await posted.Content.ReadAsStringAsync());

        // It reached the moderators' notices queue, where the trusted flagger's notice comes first.
        await demoNotices;
        var queue = (await services.GetRequiredService<ReviewQueueService>().ListAsync(NoticeService.Queue, null, 10, default)).Value!.Items.Select(i => i.ContentId).ToList();
        Assert.Equal(DemoNotices.FlaggerItem, queue[0]);
        Assert.Contains(DemoNotices.FormItem, queue);
        Assert.Contains(DemoNotices.UserItem, queue);

        // The moderator decides; the notifier gets the decision with the means of redress.
        await DecideAsync(services, (await CaseAsync(services, DemoNotices.FormItem, NoticeService.Queue)).Id, violation: true);
        JsonElement notice = default;
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            notice = await host.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/notices/{noticeId}");
            return notice.GetProperty("status").GetString() == NoticeStatus.Decided;
        }), $"the notice was never answered: {notice}");
        Assert.Equal(NoticeOutcome.ActionTaken, notice.GetProperty("outcome").GetString());
        Assert.Contains(notice.GetProperty("messages").EnumerateArray(), m => m.GetProperty("kind").GetString() == NotifierMessageKind.Decision);
    }

    private static async Task<ReviewCaseRow> CaseAsync(IServiceProvider services, string contentId, string? queue = null)
    {
        await using var db = services.GetRequiredService<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == contentId && (queue == null || c.Queue == queue)).OrderBy(c => c.Id).FirstAsync();
    }

    private static async Task DecideAsync(IServiceProvider services, long caseId, bool violation)
    {
        var claim = await services.GetRequiredService<ReviewQueueService>().ClaimAsync(caseId, ReviewScenario.Alice, default);
        Assert.True(claim.Ok, claim.Message);
        var request = violation ? ReviewScenario.Violation(claim.Value!, "VE-GLORIFY", ["content.remove"]) : ReviewScenario.NoViolation(claim.Value!);
        var decided = await services.GetRequiredService<ReviewDecisionService>().DecideAsync(request, ReviewScenario.Alice, default);
        Assert.True(decided.Ok, decided.Message);
    }
}
