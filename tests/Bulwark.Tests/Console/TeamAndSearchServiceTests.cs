using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Console;

/// <summary>
/// The services behind the team-lead, search and comment pages, on both providers: figures from decisions made under a fake
/// clock, reassignment and release (audited, refused without a reason or to someone who may not work the queue), search by
/// every key with results that follow roles, opening a case from search, internal comments.
/// </summary>
public class TeamAndSearchServiceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Team_figures_count_decisions_per_queue_and_day_with_sla_attainment_handle_time_and_exposure(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        foreach (var id in new[] { "t1", "t2", "t3" }) await UploadAsync(core, id, "acct-" + id, Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var sla = core.Get<ReviewOptions>().Queue((await CaseOfAsync(core, "t1")).Queue).Sla;
        var handle = new List<TimeSpan>();
        // Claimed and decided 10 and 30 minutes later, and the third after its SLA ran out.
        foreach (var (id, wait) in new[] { ("t1", TimeSpan.FromMinutes(10)), ("t2", TimeSpan.FromMinutes(30)), ("t3", sla + TimeSpan.FromMinutes(5)) })
        {
            var claim = await ClaimAsync(core, (await CaseOfAsync(core, id)).Id, Alice);
            // Held all along: the claim is renewed every 5 minutes (its claimed-at time stays), as the case page does.
            for (var held = TimeSpan.Zero; held < wait; held += TimeSpan.FromMinutes(5))
            {
                core.Clock.Advance(TimeSpan.FromMinutes(5));
                Assert.True((await core.Get<ReviewQueueService>().RenewAsync(claim.CaseId, claim.Token, Alice, default)).Ok);
            }
            Assert.True((await decisions.DecideAsync(NoViolation(claim), Alice, default)).Ok);
            handle.Add(wait);
        }
        var today = DateOnly.FromDateTime(core.Clock.GetUtcNow().UtcDateTime);
        var team = core.Get<TeamLeadService>();
        var figures = (await team.FiguresAsync(today.AddDays(-6), today, Sam, default)).Value!;

        // Reference: the same figures folded from the stored cases.
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var rows = (await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Status == ReviewCaseStatus.Decided).ToListAsync())
            .Where(c => DateOnly.FromDateTime(c.DecidedAt!.Value.UtcDateTime) >= today.AddDays(-6)).ToList();
        var expected = rows.GroupBy(c => (c.Queue, DateOnly.FromDateTime(c.DecidedAt!.Value.UtcDateTime)))
            .Select(g => (g.Key.Queue, g.Key.Item2, g.Count(), g.Count(c => c.DecidedAt <= c.DueAt))).OrderBy(x => x.Queue, StringComparer.Ordinal).ThenBy(x => x.Item2).ToList();
        Assert.Equal(expected, figures.Days.Select(d => (d.Queue, d.Day, d.Decided, d.WithinSla)).ToList());
        Assert.Equal(3, figures.Days.Sum(d => d.Decided));
        Assert.Equal(2, figures.Days.Sum(d => d.WithinSla));
        if (figures.Days.Count == 1)
        {
            Assert.Equal(TimeSpan.FromMinutes(30), figures.Days[0].MedianHandle);
            Assert.Equal(handle.Max(), figures.Days[0].P90Handle);
        }
        Assert.Equal([new ModeratorExposure("alice", 3, 0, 0)], figures.Exposure);

        Assert.Equal(ReviewError.Forbidden, (await team.FiguresAsync(today, today, Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await team.FiguresAsync(today, today.AddDays(-1), Sam, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await team.FiguresAsync(today.AddDays(-40), today, Sam, default)).Error);
        Assert.True((await team.FiguresAsync(today, today, Audrey, default)).Ok);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_lead_reassigns_and_releases_claims_with_a_reason_and_the_old_holder_cannot_decide(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "r1", "acct-r1", Reviewable);
        await UploadAsync(core, "r2", "acct-r2", Imminent);
        await RunAsync(core);
        var team = core.Get<TeamLeadService>();
        var c = await CaseOfAsync(core, "r1");
        var aliceClaim = await ClaimAsync(core, c.Id, Alice);

        var claims = (await team.ClaimsAsync(Sam, default)).Value!;
        Assert.Equal(("alice", c.Id), (Assert.Single(claims).ClaimedBy, claims[0].CaseId));
        Assert.Equal(ReviewError.Forbidden, (await team.ClaimsAsync(Alice, default)).Error);
        Assert.Equal(ReviewError.Forbidden, (await team.ReassignAsync(c.Id, Bob, "busy", Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await team.ReassignAsync(c.Id, Bob, "  ", Sam, default)).Error);

        var moved = await team.ReassignAsync(c.Id, Bob, "Alice is on a break", Sam, default);
        Assert.True(moved.Ok, moved.Message);
        Assert.Equal("bob", (await CaseOfAsync(core, "r1")).ClaimedBy);
        var stale = await core.Get<ReviewDecisionService>().DecideAsync(NoViolation(aliceClaim), Alice, default);
        Assert.Equal(ReviewError.Stale, stale.Error);
        Assert.True((await core.Get<ReviewDecisionService>().DecideAsync(NoViolation(moved.Value!), Bob, default)).Ok);

        // A threat-to-life case goes only to someone who may work that queue.
        var threat = await CaseOfAsync(core, "r2", "threat-to-life");
        await ClaimAsync(core, threat.Id, Sam);
        var refused = await team.ReassignAsync(threat.Id, Bob, "cover", Sam, default);
        Assert.Equal(ReviewError.Invalid, refused.Error);
        Assert.Contains("threat-to-life", refused.Message);
        Assert.Equal(ReviewError.Invalid, (await team.ReleaseAsync(threat.Id, "", Sam, default)).Error);
        Assert.True((await team.ReleaseAsync(threat.Id, "Shift ended", Sam, default)).Ok);
        Assert.Null((await CaseOfAsync(core, "r2", "threat-to-life")).ClaimedBy);
        Assert.Equal(ReviewError.Stale, (await team.ReleaseAsync(threat.Id, "again", Sam, default)).Error);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("review.claim_")).OrderBy(e => e.Seq).ToListAsync();
        Assert.Equal(["review.claim_reassigned", "review.claim_released"], audit.Select(e => e.Action));
        Assert.Equal(("sam", "claimed by alice", "claimed by bob", "Alice is on a break"), (audit[0].Actor, audit[0].Before, audit[0].After, audit[0].Reason));
        Assert.Equal(("claimed by sam", "Shift ended"), (audit[1].Before, audit[1].Reason));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Search_finds_items_by_id_account_hash_and_text_and_withholds_what_the_role_may_not_see(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "s1", "acct-s", Reviewable, text: "Synthetic Harbour festival in the città vecchia");
        await UploadAsync(core, "s2", "acct-s", Imminent, text: "Synthetic threat naming an invented square");
        await UploadAsync(core, "s3", "acct-other", Reviewable, text: "Nothing in common 50%_off");
        await RunAsync(core);
        var search = core.Get<CaseSearchService>();
        async Task<SearchResults> Find(string q, string? kind, ReviewUser user)
        {
            var r = await search.SearchAsync(q, kind, user, default);
            Assert.True(r.Ok, r.Message);
            return r.Value!;
        }

        Assert.Equal(["s1"], (await Find("s1", null, Alice)).Hits.Select(h => h.ContentId));
        Assert.Equal(["s1", "s2"], (await Find("acct-s", SearchKinds.Account, Alice)).Hits.Select(h => h.ContentId).Order());
        Assert.Equal(["s1"], (await Find("HARBOUR FESTIVAL", SearchKinds.Text, Alice)).Hits.Select(h => h.ContentId));
        Assert.Equal(["s1"], (await Find("città", SearchKinds.Text, Alice)).Hits.Select(h => h.ContentId));
        // Punctuation (LIKE's and FTS's operators included) separates words; each word is matched as the start of a word.
        Assert.Equal(["s3"], (await Find("50%_off", SearchKinds.Text, Alice)).Hits.Select(h => h.ContentId));
        Assert.DoesNotContain((await Find("0%_o", SearchKinds.Text, Alice)).Hits, h => h.ContentId != "s3");
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("synthetic clip s3")));
        Assert.Equal(["s3"], (await Find(sha.ToUpperInvariant(), null, Alice)).Hits.Select(h => h.ContentId));

        // The threat-to-life item: a moderator sees that it exists, not its text or its case; a senior moderator sees both.
        var hidden = Assert.Single((await Find("s2", null, Alice)).Hits);
        Assert.True(hidden.Withheld);
        Assert.Null(hidden.FirstLine);
        Assert.Contains(hidden.Cases, c => c.Queue == "threat-to-life" && !c.MayOpen);
        var shown = Assert.Single((await Find("s2", null, Sam)).Hits);
        Assert.False(shown.Withheld);
        Assert.Equal("Synthetic threat naming an invented square", shown.FirstLine);

        Assert.Equal(ReviewError.Invalid, (await search.SearchAsync("", null, Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await search.SearchAsync("abc", "colour", Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await search.SearchAsync("xyz", SearchKinds.Hash, Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await search.SearchAsync(new string('a', 201), null, Alice, default)).Error);
        Assert.Equal(ReviewError.Forbidden, (await search.SearchAsync("s1", null, new ReviewUser("pat", Bulwark.Core.Security.ConsoleRoles.PolicyAdmin), default)).Error);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_case_opened_from_search_is_audited_not_duplicated_and_decided_through_the_usual_service(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "plain", Kind = "text", Account = new AccountRef { Id = "acct-plain" }, Text = "A synthetic harmless caption" }, null, default);
        await UploadAsync(core, "ttl", "acct-ttl", Imminent);
        await RunAsync(core);
        var search = core.Get<CaseSearchService>();

        Assert.Equal(ReviewError.Invalid, (await search.OpenCaseAsync("plain", "review", " ", Alice, default)).Error);
        Assert.Equal(ReviewError.NotFound, (await search.OpenCaseAsync("nothing", "review", "why", Alice, default)).Error);
        Assert.Equal(ReviewError.Forbidden, (await search.OpenCaseAsync("plain", "threat-to-life", "why", Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await search.OpenCaseAsync("plain", ReviewQueues.Appeals, "why", Alice, default)).Error);
        // A moderator cannot reach a threat-to-life item by opening a review case for it.
        Assert.Equal(ReviewError.Forbidden, (await search.OpenCaseAsync("ttl", "review", "curious", Alice, default)).Error);

        var opened = await search.OpenCaseAsync("plain", "review", "A user wrote in about this caption", Alice, default);
        Assert.True(opened.Ok, opened.Message);
        Assert.Equal(opened.Value, (await search.OpenCaseAsync("plain", "review", "again", Bob, default)).Value);
        var claim = await ClaimAsync(core, opened.Value, Alice);
        var decided = await core.Get<ReviewDecisionService>().DecideAsync(NoViolation(claim), Alice, default);
        Assert.True(decided.Ok, decided.Message);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "review.case_opened");
        Assert.Equal(("alice", $"review-case:{opened.Value}", "A user wrote in about this caption"), (entry.Actor, entry.Subject, entry.Reason));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Internal_comments_are_validated_listed_newest_first_and_audited_without_their_text(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var notes = core.Get<CaseNoteService>();
        Assert.Equal(ReviewError.Invalid, (await notes.AddAsync("case:1", "  ", "alice", default)).Error);
        Assert.Equal(ReviewError.Invalid, (await notes.AddAsync("case:1", new string('x', CaseNoteService.MaxLength + 1), "alice", default)).Error);
        Assert.Equal(ReviewError.Invalid, (await notes.AddAsync("decision:1", "text", "alice", default)).Error);
        Assert.True((await notes.AddAsync("case:1", "Synthetic: check the earlier upload first.", "alice", default)).Ok);
        Assert.True((await notes.AddAsync("account:acct-1", "Synthetic: a linked account was banned.", "sam", default)).Ok);
        Assert.True((await notes.AddAsync("case:2", "Another case.", "sam", default)).Ok);
        var listed = await notes.ListAsync(["case:1", "account:acct-1"], default);
        Assert.Equal(["account:acct-1", "case:1"], listed.Select(n => n.Subject));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "review.note_added").ToListAsync();
        Assert.Equal(3, audit.Count);
        Assert.DoesNotContain(audit, e => (e.After ?? "").Contains("Synthetic", StringComparison.Ordinal) || (e.Reason ?? "").Contains("Synthetic", StringComparison.Ordinal));
    }
}
