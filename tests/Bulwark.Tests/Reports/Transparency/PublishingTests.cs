using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Records;
using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>Drafts, publication, versions; the public page and the API.</summary>
public class PublishingTests
{
    private static readonly ReportPeriod Q2 = new(new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_published_report_never_changes_and_a_second_publication_is_a_new_version_that_says_what_changed(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, KnownHistory.Settings);
        await new KnownHistory(core).WriteQuarterAsync();
        await core.Get<TransparencyRollups>().RunAsync(default);
        var reports = core.Get<TransparencyReports>();

        var draft = await reports.CreateDraftAsync(ReportKinds.Dsa, Q2, "Example Video", "policy-ana", null, default);
        Assert.Equal((1, ReportStatus.Draft, 11), (draft.Version, draft.Status, draft.Files.Count));
        Assert.Empty(await reports.ListAsync(publishedOnly: true, default));
        Assert.Null(await reports.FileAsync(draft.Id, "1_report_identification.csv", includeDrafts: false, default));

        var published = await reports.PublishAsync(draft.Id, "policy-ana", default);
        Assert.Equal((ReportStatus.Published, "policy-ana"), (published.Status, published.PublishedBy));
        Assert.Equal(draft.Sha256, published.Sha256);
        var again = await Assert.ThrowsAsync<ReportRefusedException>(() => reports.PublishAsync(draft.Id, "policy-ana", default));
        Assert.Equal(ReportRefusedException.Conflict, again.Kind);

        // The same period again: refused without a change note, a new version with one; version 1 stays as it was.
        var noNote = await Assert.ThrowsAsync<ReportRefusedException>(() => reports.CreateDraftAsync(ReportKinds.Dsa, Q2, "Example Video", "policy-ana", null, default));
        Assert.Contains("already published (version 1)", noNote.Message);
        var v2 = await reports.CreateDraftAsync(ReportKinds.Dsa, Q2, "Example Video", "policy-ana", "Qualitative texts added.", default);
        Assert.Equal((2, draft.Id, "Qualitative texts added."), (v2.Version, v2.Supersedes, v2.ChangeNote));
        await reports.PublishAsync(v2.Id, "policy-bo", default);
        var list = await reports.ListAsync(publishedOnly: true, default);
        Assert.Equal([2, 1], list.Select(r => r.Version));
        Assert.Equal(published.Sha256, list.Single(r => r.Version == 1).Sha256);
        var table1 = System.Text.Encoding.UTF8.GetString((await reports.FileAsync(v2.Id, "1_report_identification.csv", false, default))!.Content);
        Assert.Contains("Report version,2", table1);

        // Stored files are checked against the hash at publication: a tampered draft is not published.
        var v3 = await reports.CreateDraftAsync(ReportKinds.Cger, Q2, null, "policy-ana", null, default);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var f = await db.Set<TransparencyReportFileRow>().FirstAsync(x => x.ReportId == v3.Id && x.Name == "cger_summary.csv");
            f.Content = [.. f.Content, (byte)'x'];
            await db.SaveChangesAsync();
        }
        await Assert.ThrowsAsync<InvalidOperationException>(() => reports.PublishAsync(v3.Id, "policy-ana", default));

        await using var read = core.Get<IBulwarkDbFactory>().Create();
        var audit = await read.AuditEntries.Where(a => a.Action.StartsWith("transparency.")).OrderBy(a => a.Seq).Select(a => a.Action + " " + a.Actor).ToListAsync();
        Assert.Equal(["transparency.draft_created policy-ana", "transparency.published policy-ana", "transparency.draft_created policy-ana",
            "transparency.published policy-bo", "transparency.draft_created policy-ana"], audit);
        Assert.Null((await core.Get<AuditVerifier>().VerifyAsync(default)).FirstBroken);
    }

    /// <summary>
    /// Two published reports of a kind never count a day twice: a period overlapping a published one (inside it, across its
    /// start or its end) is refused naming that report and the shared days, as is publishing a draft made before the other
    /// was published; another kind, an adjacent period and the same period again (a new version) are not refused.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_period_overlapping_a_published_report_of_its_kind_is_refused_by_name(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, KnownHistory.Settings);
        await new KnownHistory(core).WriteQuarterAsync();
        await core.Get<TransparencyRollups>().RunAsync(default);
        var reports = core.Get<TransparencyReports>();

        var june = new ReportPeriod(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30));
        var earlyDraft = await reports.CreateDraftAsync(ReportKinds.Cger, june, null, "policy-ana", null, default); // before Q2 is published
        var q2 = await reports.PublishAsync((await reports.CreateDraftAsync(ReportKinds.Cger, Q2, null, "policy-ana", null, default)).Id, "policy-ana", default);

        foreach (var (period, shared) in new[]
                 {
                     (june, "2026-06-01..2026-06-30"),
                     (new ReportPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 15)), "2026-04-01..2026-04-15"),
                     (new ReportPeriod(new DateOnly(2026, 6, 30), new DateOnly(2026, 7, 1)), "2026-06-30..2026-06-30"),
                 })
        {
            var refused = await Assert.ThrowsAsync<ReportRefusedException>(() => reports.CreateDraftAsync(ReportKinds.Cger, period, null, "policy-ana", null, default));
            Assert.Equal(ReportRefusedException.Conflict, refused.Kind);
            Assert.Contains($"overlaps the published cger 2026-04-01/2026-06-30 (report {q2.Id}, version 1) on {shared}", refused.Message);
        }
        var late = await Assert.ThrowsAsync<ReportRefusedException>(() => reports.PublishAsync(earlyDraft.Id, "policy-ana", default));
        Assert.Contains("overlaps the published cger 2026-04-01/2026-06-30", late.Message);
        Assert.Equal(ReportStatus.Draft, (await reports.GetAsync(earlyDraft.Id, default))!.Status); // nothing half-applied

        // Not overlaps: another kind over the same days, the adjacent day, and the same period again as a new version.
        Assert.Equal(1, (await reports.CreateDraftAsync(ReportKinds.Dsa, june, "Example Video", "policy-ana", null, default)).Version);
        Assert.Equal(1, (await reports.CreateDraftAsync(ReportKinds.Cger, new ReportPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 1)), null, "policy-ana", null, default)).Version);
        Assert.Equal(2, (await reports.CreateDraftAsync(ReportKinds.Cger, Q2, null, "policy-ana", "Corrected a count.", default)).Version);

        var inverted = await Assert.ThrowsAsync<ReportRefusedException>(() => reports.CreateDraftAsync(ReportKinds.Cger, new ReportPeriod(Q2.End, Q2.Start), null, "policy-ana", null, default));
        Assert.Contains("inverted", inverted.Message);
        Assert.Equal([q2.Id], (await reports.ListAsync(publishedOnly: true, default)).Select(r => r.Id));
    }

    [Fact]
    public async Task The_transparency_page_is_public_and_the_cger_api_refuses_bad_periods_with_problems()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, KnownHistory.Settings);
        var anonymous = host.Client(null);
        var empty = await anonymous.GetAsync("/transparency");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("No report has been published yet.", await empty.Content.ReadAsStringAsync());

        // The server's clock is the system's: last year's fourth quarter has ended and holds no records (all zeros).
        var year = DateTime.UtcNow.Year - 1;
        var reports = host.Services.GetRequiredService<TransparencyReports>();
        var draft = await reports.CreateDraftAsync(ReportKinds.Cger, new ReportPeriod(new DateOnly(year, 10, 1), new DateOnly(year, 12, 31)), null, "policy-ana", null, default);
        Assert.Null(await anonymous.GetAsync($"/transparency/reports/{draft.Id}/cger.json") is { StatusCode: HttpStatusCode.OK } ? "served" : null);
        await reports.PublishAsync(draft.Id, "policy-ana", default);
        var page = await (await anonymous.GetAsync("/transparency")).Content.ReadAsStringAsync();
        Assert.Contains($"{year}-10-01/{year}-12-31", page);
        Assert.Contains($"/transparency/reports/{draft.Id}/cger.en.html", page);
        var file = await anonymous.GetAsync($"/transparency/reports/{draft.Id}/cger.en.html");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Contains("<svg", await file.Content.ReadAsStringAsync());

        var reader = host.Client(await host.KeyAsync(Scopes.Read));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/reports/cger?from={year}-10-01&to={year}-12-31")).StatusCode);
        var ok = await reader.GetAsync($"/api/v1/reports/cger?from={year}-10-01&to={year}-12-31");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, body.GetProperty("total").GetProperty("removed").GetInt64());
        Assert.Equal(4, body.GetProperty("byPolicy").GetArrayLength());

        var inverted = await reader.GetAsync($"/api/v1/reports/cger?from={year}-12-31&to={year}-10-01");
        Assert.Equal(HttpStatusCode.BadRequest, inverted.StatusCode);
        Assert.Contains("inverted", (await inverted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var future = await reader.GetAsync($"/api/v1/reports/cger?from={year + 1}-01-01&to={year + 2}-01-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);
        var problem = await future.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ReportEndpointsTypes.Incomplete, problem.GetProperty("type").GetString());
        Assert.Contains("day(s) have none", problem.GetProperty("detail").GetString());
    }
}

internal static class ReportEndpointsTypes
{
    public const string Incomplete = "urn:bulwark:problem:report-incomplete";
}

/// <summary>The DSA report's qualitative texts are written per report period, audited, and carried by that period's drafts only.</summary>
public class QualitativeTextsTests
{
    private static readonly ReportPeriod Q2 = new(new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Texts_written_for_a_period_appear_in_its_dsa_report_and_every_change_is_audited(DatabaseProvider provider)
    {
        var settings = new Dictionary<string, string?>(KnownHistory.Settings) { ["Bulwark:Transparency:Qualitative:other"] = "A configured default." };
        await using var core = await CoreServices.CreateAsync(provider, settings);
        await new KnownHistory(core).WriteQuarterAsync();
        await core.Get<TransparencyRollups>().RunAsync(default);
        var texts = core.Get<QualitativeTexts>();
        var reports = core.Get<TransparencyReports>();

        var changed = await texts.SaveAsync(Q2, new Dictionary<string, string?>
        {
            ["summary.own_initiative"] = "Hash matching and review of every flagged upload (synthetic).",
            ["hr.moderators"] = "12 moderators (synthetic)",
            ["automated.safeguards"] = "",
        }, "policy-ana", default);
        Assert.Equal(["summary.own_initiative", "hr.moderators"], changed); // an empty text where nothing was written changes nothing

        var q2 = await reports.BuildAsync(ReportKinds.Dsa, Q2, "Example Video", false, default);
        var t11 = ReconciliationTests.Table(q2, "11_");
        Assert.Equal("Hash matching and review of every flagged upload (synthetic).", Indicator(t11, "Summary of the content moderation engaged in at the providers’ own initiative")["Value"]);
        Assert.Equal("A configured default.", Indicator(t11, "Any other information")["Value"]);
        Assert.Equal("", Indicator(t11, "Safeguards applied to the use of automated means")["Value"]);
        var t9 = ReconciliationTests.Table(q2, "9_");
        Assert.Equal("12 moderators (synthetic)", t9.Rows.Single(r => r["Indicator"] == "Number of internal moderators employed by the provider")["Value"]);
        Assert.Contains("Not written for this period", t9.Rows.Single(r => r["Indicator"] == "Number of total moderators with sufficient linguistic expertise")["Contextual information"]);

        // Another period does not carry them.
        var june = await reports.BuildAsync(ReportKinds.Dsa, new ReportPeriod(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)), "Example Video", false, default);
        Assert.Equal("", Indicator(ReconciliationTests.Table(june, "11_"), "Summary of the content moderation engaged in at the providers’ own initiative")["Value"]);

        // Changing one and clearing the other: two audited changes; saving the same again: none.
        Assert.Equal(2, (await texts.SaveAsync(Q2, new Dictionary<string, string?> { ["summary.own_initiative"] = "Revised (synthetic).", ["hr.moderators"] = " " }, "policy-bo", default)).Count);
        Assert.Empty(await texts.SaveAsync(Q2, new Dictionary<string, string?> { ["summary.own_initiative"] = "Revised (synthetic).\r\n" }, "policy-bo", default));
        Assert.Equal(new Dictionary<string, string> { ["summary.own_initiative"] = "Revised (synthetic)." }, await texts.WrittenAsync(Q2, default));

        // Bad input is refused before anything is written.
        var unknown = await Assert.ThrowsAsync<ReportRefusedException>(() => texts.SaveAsync(Q2, new Dictionary<string, string?> { ["summary.own_initiative"] = "x", ["made.up"] = "y" }, "policy-ana", default));
        Assert.Contains("unknown indicator 'made.up'", unknown.Message);
        var tooLong = await Assert.ThrowsAsync<ReportRefusedException>(() => texts.SaveAsync(Q2, new Dictionary<string, string?> { ["other"] = new string('x', DsaTexts.MaxLength + 1) }, "policy-ana", default));
        Assert.Contains("at most", tooLong.Message);
        Assert.Equal("Revised (synthetic).", (await texts.WrittenAsync(Q2, default))["summary.own_initiative"]);

        await using var read = core.Get<IBulwarkDbFactory>().Create();
        var audit = await read.AuditEntries.Where(a => a.Action == "transparency.qualitative_saved").OrderBy(a => a.Seq).Select(a => a.Actor + " " + a.Subject).ToListAsync();
        Assert.Equal([
            "policy-ana transparency-text:2026-04-01/2026-06-30:summary.own_initiative", "policy-ana transparency-text:2026-04-01/2026-06-30:hr.moderators",
            "policy-bo transparency-text:2026-04-01/2026-06-30:summary.own_initiative", "policy-bo transparency-text:2026-04-01/2026-06-30:hr.moderators",
        ], audit);
        Assert.Null((await core.Get<AuditVerifier>().VerifyAsync(default)).FirstBroken);
    }

    private static Dictionary<string, string> Indicator(ReconciliationTests.CsvTable table, string label) => table.Rows.Single(r => r[table.Header[3]] == label);
}
