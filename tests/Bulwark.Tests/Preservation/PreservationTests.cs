using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Preservation;

/// <summary>Preservation (Reg. 2021/784 Art. 6): recorded with the removal, copied by the job, held, purged on expiry, audited.</summary>
public class PreservationTests
{
    private static Dictionary<string, string?> Settings() => new() { ["Bulwark:Preservation:RetentionMonths"] = "6" };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_removal_is_recorded_with_its_decision_and_the_job_copies_event_signals_decision_and_media(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await core.Get<Bulwark.Core.Accounts.AccountService>().UpsertAsync(new AccountProfile { Id = "acct-p", Handle = "synthetic_handle_p" }, "platform", default);
        var sha = await UploadAsync(core, "i1", "acct-p", Instruction, "synthetic instruction clip for preservation");
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "hello" }, null, default);
        await RunOnceAsync(core);

        var decision = await DecisionOfAsync(core, "i1");
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            // Only the removal is preserved, and it is pending from the moment its decision committed.
            var pending = await db.Set<PreservedItemRow>().SingleAsync();
            Assert.Equal((decision.Id, "i1", "acct-p", "content.remove", PreservationStatus.Pending), (pending.DecisionId, pending.ContentId, pending.AccountId, pending.Cause, pending.Status));
            Assert.Equal(decision.DecidedAt.AddMonths(6), pending.ExpiresAt);
        }

        var store = core.Get<PreservationService>();
        Assert.Equal(1, await store.CopyPendingAsync(default));
        Assert.Equal(0, await store.CopyPendingAsync(default)); // at least once, but never twice

        var item = (await store.GetAsync((await store.ListAsync("legal-officer", null, 0, 10, default)).Single().Id, "legal-officer", default))!;
        Assert.Equal(PreservationStatus.Preserved, item.Status);
        Assert.Contains("\"i1\"", item.EventJson);
        Assert.Contains("hash.match", item.SignalsJson);
        Assert.Contains("VE-INSTRUCT", item.DecisionJson);
        Assert.Contains("synthetic_handle_p", item.AccountJson);
        var file = Assert.Single(item.Files);
        Assert.True(file.Available);
        Assert.Equal(sha, file.Sha256);
        var opened = await store.OpenFileAsync(item.Id, sha, "legal-officer", default);
        await using (var content = opened.Value!.Content)
        using (var reader = new StreamReader(content))
            Assert.Equal("synthetic instruction clip for preservation", await reader.ReadToEndAsync());
        Assert.True(File.Exists(Path.Combine(store.Root, item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), sha)));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Root));

        await using var check = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(["preservation.preserved", "preservation.listed", "preservation.read", "preservation.file_downloaded"],
            await check.AuditEntries.Where(e => e.Action.StartsWith("preservation.")).OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync());
        Assert.Equal(3, await check.AuditEntries.CountAsync(e => e.Actor == "legal-officer"));
        Assert.Null((await core.Get<AuditVerifier>().VerifyAsync(default)).Problem);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_removal_a_person_confirms_is_preserved_and_a_ban_added_to_a_pipeline_removal_joins_its_item(DatabaseProvider provider)
    {
        await using var core = await Review.ReviewScenario.CreateAsync(provider);
        await Review.ReviewScenario.UploadAsync(core, "h1", "acct-h", Review.ReviewScenario.Reviewable);
        await UploadAsync(core, "i2", "acct-i", Instruction, "synthetic instruction clip removed by the pipeline");
        await RunOnceAsync(core);

        // A review case's violation with content.remove: the pipeline sent it to people and removed nothing itself.
        var c = await Review.ReviewScenario.CaseOfAsync(core, "h1");
        var claim = await Review.ReviewScenario.ClaimAsync(core, c.Id, Review.ReviewScenario.Alice);
        var request = Review.ReviewScenario.Violation(claim, "VE-GLORIFY", ["content.remove"], submission: "preserve-1");
        Assert.True((await core.Get<Bulwark.Core.Actions.Review.ReviewDecisionService>().DecideAsync(request, Review.ReviewScenario.Alice, default)).Ok);
        Assert.True((await core.Get<Bulwark.Core.Actions.Review.ReviewDecisionService>().DecideAsync(request, Review.ReviewScenario.Alice, default)).Value!.Replayed);

        // The pipeline removed i2 (one item); a person's confirmation then bans the account: the same item, both causes.
        var removed = await DecisionOfAsync(core, "i2");
        var confirmed = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, removed.Id, null, "synthetic: a repeat offender", "sam", ["account.ban"]);
        Assert.True(confirmed.Applied, confirmed.Error);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var items = await db.Set<PreservedItemRow>().OrderBy(i => i.Id).ToListAsync();
        Assert.Equal(2, items.Count);
        var reviewed = items.Single(i => i.ContentId == "h1");
        Assert.Equal((c.DecisionId, "acct-h", "VE-GLORIFY", "content.remove", PreservationStatus.Pending),
            ((long?)reviewed.DecisionId, reviewed.AccountId, reviewed.Policy, reviewed.Cause, reviewed.Status));
        Assert.Equal(reviewed.CreatedAt.AddMonths(6), reviewed.ExpiresAt);
        Assert.Equal("content.remove,account.ban", items.Single(i => i.ContentId == "i2").Cause);
        Assert.Equal(2, await core.Get<PreservationService>().CopyPendingAsync(default));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Expired_items_are_purged_with_their_files_and_audited_while_a_legal_hold_keeps_an_item_past_expiry(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings());
        await UploadAsync(core, "i1", "acct-h", Instruction, "first clip");
        await UploadAsync(core, "i2", "acct-h", Instruction, "second clip");
        await RunOnceAsync(core);
        var store = core.Get<PreservationService>();
        Assert.Equal(2, await store.CopyPendingAsync(default));
        var items = await store.ListAsync("legal-officer", null, 0, 10, default);
        var (free, held) = (items[0], items[1]);
        var hold = await store.PlaceHoldAsync(held.Id, "ORDER-2026-17", "Requested by the competent authority for an investigation", "legal-officer", default);
        Assert.True(hold.Value!.Active);

        core.Clock.Advance(TimeSpan.FromDays(150));
        Assert.Equal(0, await store.PurgeExpiredAsync(default)); // not expired yet
        core.Clock.Advance(TimeSpan.FromDays(40));
        Assert.Equal(1, await store.PurgeExpiredAsync(default));
        Assert.False(Directory.Exists(Path.Combine(store.Root, free.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Null(await store.GetAsync(free.Id, "legal-officer", default));
        var kept = await store.GetAsync(held.Id, "legal-officer", default);
        Assert.True(kept!.Held);
        Assert.True(kept.ExpiresAt < core.Clock.GetUtcNow());

        var released = await store.ReleaseHoldAsync(held.Id, hold.Value.Id, "Investigation closed", "legal-officer", default);
        Assert.False(released.Value!.Active);
        Assert.Equal(PreservationError.HoldReleased, (await store.ReleaseHoldAsync(held.Id, hold.Value.Id, "again", "legal-officer", default)).Error);
        Assert.Equal(1, await store.PurgeExpiredAsync(default));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.False(await db.Set<PreservedItemRow>().AnyAsync());
        Assert.False(await db.Set<PreservedFileRow>().AnyAsync());
        Assert.False(await db.Set<PreservationHoldRow>().AnyAsync());
        var purges = await db.AuditEntries.Where(e => e.Action == "preservation.purged").OrderBy(e => e.Seq).ToListAsync();
        Assert.Equal([$"preservation:{free.Id}", $"preservation:{held.Id}"], purges.Select(p => p.Subject));
        Assert.All(purges, p => Assert.Contains("retention ended", p.Reason));
        Assert.Contains("1 released hold(s)", purges[1].Before);
        Assert.Null((await core.Get<AuditVerifier>().VerifyAsync(default)).Problem);
    }

    [Fact]
    public async Task An_open_appeal_keeps_an_expired_item_and_upholding_it_extends_the_retention()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "i1", "acct-a", Instruction, "appealed clip");
        await RunOnceAsync(core);
        var store = core.Get<PreservationService>();
        await store.CopyPendingAsync(default);
        core.Clock.Advance(TimeSpan.FromDays(170));
        var appeals = core.Get<Bulwark.Core.Policy.Appeals.AppealService>();
        var appeal = (await appeals.SubmitAsync(new(null, "i1", "Please look again."), "platform", default)).Appeal!;
        core.Clock.Advance(TimeSpan.FromDays(20)); // past the six months, appeal still open
        Assert.Equal(0, await store.PurgeExpiredAsync(default));

        await appeals.DecideAsync(appeal.Id, new("upheld", "Instructional material.", "reviewer-gil"), null, default);
        var item = (await store.ListAsync("legal-officer", "i1", 0, 1, default)).Single();
        Assert.Equal(core.Clock.GetUtcNow().AddMonths(6), item.ExpiresAt);
        Assert.Equal(0, await store.PurgeExpiredAsync(default));
        core.Clock.Advance(TimeSpan.FromDays(185));
        Assert.Equal(1, await store.PurgeExpiredAsync(default));
    }

    [Fact]
    public async Task Bad_input_is_refused_by_name_and_changes_nothing()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "i1", "acct-b", Instruction, "clip");
        await RunOnceAsync(core);
        var store = core.Get<PreservationService>();
        var id = (await store.ListAsync("legal-officer", null, 0, 1, default)).Single().Id;

        Assert.Equal(["reference", "reason"], (await store.PlaceHoldAsync(id, " ", null, "legal-officer", default)).Errors.Select(e => e.Field));
        Assert.Equal(PreservationError.NotFound, (await store.PlaceHoldAsync(999, "REF-1", "why", "legal-officer", default)).Error);
        Assert.Equal(PreservationError.HoldNotFound, (await store.ReleaseHoldAsync(id, 999, "why", "legal-officer", default)).Error);
        Assert.Equal("reason", Assert.Single((await store.ReleaseHoldAsync(id, 1, "", "legal-officer", default)).Errors).Field);
        Assert.Equal("sha256", Assert.Single((await store.OpenFileAsync(id, "../../etc/passwd", "legal-officer", default)).Errors).Field);
        Assert.Equal(PreservationError.NotFound, (await store.OpenFileAsync(id, new string('a', 64), "legal-officer", default)).Error);
        Assert.Null(await store.GetAsync(999, "legal-officer", default));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.False(await db.Set<PreservationHoldRow>().AnyAsync());
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action.StartsWith("preservation.hold") || e.Action == "preservation.file_downloaded"));
    }

    [Fact]
    public async Task The_job_copies_pending_items_and_purges_on_its_schedule_by_the_injected_clock()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Preservation:PurgeIntervalMinutes"] = "60", ["Bulwark:Preservation:CopyIntervalSeconds"] = "5" });
        await UploadAsync(core, "i1", "acct-w", Instruction, "clip for the job");
        await RunOnceAsync(core);
        var store = core.Get<PreservationService>();
        using var worker = new PreservationWorker(store, core.Get<PreservationOptions>(), core.Get<Bulwark.Core.Pipeline.PipelineOptions>(), core.Clock, NullLogger<PreservationWorker>.Instance);
        await worker.StartAsync(default);
        try
        {
            await Until(async () => (await Status(core)) == PreservationStatus.Preserved);
            core.Clock.Advance(TimeSpan.FromDays(190));
            // The purge runs on the next round after the clock passes the purge interval; keep the fake clock ticking.
            await Until(async () =>
            {
                core.Clock.Advance(TimeSpan.FromMinutes(5));
                return await Status(core) is null;
            });
        }
        finally { await worker.StopAsync(default); }
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "preservation.purged" && e.Actor == "preservation"));
    }

    private static async Task<string?> Status(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<PreservedItemRow>().Select(i => i.Status).FirstOrDefaultAsync();
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        if (!await Eventually.UntilAsync(condition)) Assert.Fail($"the preservation job did not get there within {Eventually.Deadline.TotalMinutes} minutes");
    }
}
