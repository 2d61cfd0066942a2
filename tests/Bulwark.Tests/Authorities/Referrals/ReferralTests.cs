using System.IO.Compression;
using System.Text;
using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Authorities.Referrals.ReferralScenario;

namespace Bulwark.Tests.Authorities.Referrals;

/// <summary>Referrals (DSA Art. 18) end to end on both providers, with the clock advanced by a fake TimeProvider.</summary>
public class ReferralTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_rule_drafts_the_referral_a_person_sends_it_signed_with_a_legal_hold_and_the_clock_shows_the_time_from_escalation(DatabaseProvider provider)
    {
        await using var endpoint = await FakeAuthorityEndpoint.StartAsync();
        await using var core = await Review.ReviewScenario.CreateAsync(provider, extra: Settings(endpoint.Url));
        var c = await ThreatCaseAsync(core, "threat-1", "acct-t1", country: "IT");
        var referrals = core.Get<ReferralService>();

        // The rule path: the imminent-threat rule that escalated the case makes a draft; nothing is sent by it.
        Assert.Equal(1, await referrals.DraftFromRulesAsync(default));
        Assert.Equal(0, await referrals.DraftFromRulesAsync(default));
        var id = (await referrals.IdOfCaseAsync(c.Id, default))!.Value;
        var draft = (await referrals.GetAsync(id, default))!;
        Assert.Equal((ReferralStatus.Draft, "rule:threat-known-imminent"), (draft.Status, draft.CreatedBy));
        Assert.Equal(0, (await core.Get<ReferralDelivery>().RunOnceAsync("w", default)).Claimed);
        Assert.Empty(endpoint.Received);

        core.Clock.Advance(TimeSpan.FromMinutes(25));
        Assert.Equal(25, (await referrals.GetAsync(id, default))!.Clock.Minutes, 1);
        var sent = await referrals.SubmitAsync(new ReferralSubmission(c.Id, "Names a time and a place; the account posted two similar threats.", "immediate", null), Legal, default);
        Assert.True(sent.Ok, sent.Message);
        var v = sent.Value!;
        Assert.Equal(ReferralStatus.Sending, v.Status);
        Assert.Equal(("IT", "account-country", "EXAMPLE Polizia (invented)", true), (v.MemberState, v.MemberStateBasis, v.Recipient.Name, v.Recipient.Example));
        Assert.Equal((25.0, 60, false), (v.Clock.Minutes, v.Clock.TargetMinutes, v.Clock.OverTarget));
        Assert.Equal(ReferralService.ReferenceOf(c.Id), v.Reference);

        // The legal hold carries the referral's reference, on the preserved copy of the removed content.
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var hold = await db.Set<PreservationHoldRow>().AsNoTracking().SingleAsync();
            Assert.Equal((v.HoldId, v.PreservedItemId, v.Reference, Legal), ((long?)hold.Id, (long?)hold.ItemId, hold.Reference, hold.PlacedBy));
            Assert.Null(hold.ReleasedAt);
            var actions = await db.AuditEntries.AsNoTracking().Where(a => a.Subject == "referral:" + v.Reference).OrderBy(a => a.Seq).Select(a => a.Action).ToListAsync();
            Assert.Equal(["referral.drafted", "referral.submitted"], actions);
        }
        // Sending again is refused: nothing is sent twice.
        var again = await referrals.SubmitAsync(new ReferralSubmission(c.Id, "again", null, null), Legal, default);
        Assert.Equal(ReferralError.WrongState, again.Error);

        // The package verifies against the signing key, and any change to it is found.
        var key = core.Get<ReferralSigningKey>().PublicKey.Base64;
        using var zip = new MemoryStream();
        Assert.True((await referrals.ExportAsync(id, zip, Legal, default)).Ok);
        zip.Position = 0;
        var verdict = await ReferralPackage.VerifyAsync(zip, key, default);
        Assert.True(verdict.Valid, string.Join("; ", verdict.Findings));
        Assert.Equal(v.Reference, verdict.Reference);
        zip.Position = 0;
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true))
        {
            var manifest = ReferralManifest.Parse(await ReadAsync(archive, "manifest.json"))!;
            Assert.Equal((ReferralManifest.SchemaId, 1, "threat-1", "acct-t1"), (manifest.Schema, manifest.Version, manifest.Content!.Id, manifest.Account!.Id));
            Assert.Contains(manifest.Signals, s => s.Type == "hash.match" && s.Explanation.Length > 0);
            Assert.Equal("immediate", manifest.Assessment.Urgency);
            Assert.Contains(manifest.Decision!.Rules, r => r.Rule == "threat-known-imminent");
            Assert.Contains(manifest.History, h => h.Event == "escalated");
            // The case's audit trail, in chain order with each entry's hash: the pipeline's decision on the content and the rule's draft.
            var trail = manifest.Audit!;
            Assert.Contains(trail, e => e.Subject.StartsWith("content:threat-1#", StringComparison.Ordinal) && e.Hash.Length == 64);
            Assert.Contains(trail, e => e.Action == "referral.drafted" && e.Actor == "rule:threat-known-imminent");
            Assert.Equal(trail.Select(e => e.Seq).Order(), trail.Select(e => e.Seq));
            await using (var db = core.Get<IBulwarkDbFactory>().Create())
                foreach (var e in trail) Assert.Equal(e.Hash, (await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Seq == e.Seq)).Hash);
            var media = Assert.Single(manifest.Media);
            Assert.NotNull(archive.GetEntry(media.File!));
            Assert.Contains("EXAMPLE RECIPIENT", Encoding.UTF8.GetString(await ReadAsync(archive, "summary.html")));
        }
        var tampered = await TamperAsync(zip.ToArray(), "manifest.json", s => s.Replace("acct-t1", "acct-xx"));
        Assert.Contains(( await ReferralPackage.VerifyAsync(new MemoryStream(tampered), key, default)).Findings, f => f.Contains("signature does not match"));
        var swappedMedia = await TamperAsync(zip.ToArray(), verdictMedia(zip.ToArray()), _ => "not the clip");
        Assert.Contains((await ReferralPackage.VerifyAsync(new MemoryStream(swappedMedia), key, default)).Findings, f => f.Contains("SHA-256"));
        var otherKey = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray());
        Assert.False((await ReferralPackage.VerifyAsync(new MemoryStream(zip.ToArray()), otherKey, default)).Valid);

        Assert.Equal(1, await referrals.CountReferralsAsync(core.Clock.GetUtcNow().AddDays(-1), core.Clock.GetUtcNow().AddDays(1), default));
        Assert.Equal(0, await referrals.CountReferralsAsync(core.Clock.GetUtcNow().AddDays(1), core.Clock.GetUtcNow().AddDays(2), default));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_endpoint_that_is_down_then_answers_garbage_is_retried_with_backoff_until_it_gives_a_receipt_and_nothing_is_taken_in_twice(DatabaseProvider provider)
    {
        await using var endpoint = await FakeAuthorityEndpoint.StartAsync();
        await using var core = await Review.ReviewScenario.CreateAsync(provider, extra: Settings(endpoint.Url));
        var c = await ThreatCaseAsync(core, "threat-2", "acct-t2");
        var referrals = core.Get<ReferralService>();
        var delivery = core.Get<ReferralDelivery>();
        var v = (await referrals.SubmitAsync(new ReferralSubmission(c.Id, "Explicit threat with a place.", "high", "it"), Legal, default)).Value!;
        Assert.Equal("given", v.MemberStateBasis);

        endpoint.Respond = FakeAuthorityEndpoint.Down;
        Assert.Equal(1, (await delivery.RunOnceAsync("w", default)).Retrying);
        var afterDown = await RowAsync(core, v.Id);
        Assert.Equal((ReferralStatus.Sending, 1), (afterDown.Status, afterDown.Attempts));
        Assert.Contains("HTTP 503", afterDown.LastError);
        Assert.True(afterDown.NextAttemptAt > core.Clock.GetUtcNow(), "the retry waits for its backoff");
        Assert.Equal(0, (await delivery.RunOnceAsync("w", default)).Claimed); // not due yet

        endpoint.Respond = FakeAuthorityEndpoint.Garbage;
        core.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await delivery.RunOnceAsync("w", default)).Retrying);
        Assert.Contains("without a receipt", (await RowAsync(core, v.Id)).LastError);

        endpoint.Respond = FakeAuthorityEndpoint.Receipt;
        core.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await delivery.RunOnceAsync("w", default)).Delivered);
        core.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await delivery.RunOnceAsync("w", default)).Claimed);

        var done = (await referrals.GetAsync(v.Id, default))!;
        Assert.Equal((ReferralStatus.Delivered, "LE-" + v.Reference), (done.Status, done.Receipt));
        Assert.Equal(3, endpoint.Received.Count);
        Assert.All(endpoint.Received, r => Assert.Equal(v.Reference, r.Headers["Bulwark-Idempotency-Key"]));
        Assert.Equal(["1", "2", "3"], endpoint.Received.Select(r => r.Headers["Bulwark-Attempt"]));
        Assert.Equal(1, endpoint.TakenIn[v.Reference]);
        // Every attempt is in the delivery log; what was POSTed is the signed package.
        var attempts = (await EventsAsync(core, v.Id)).Where(e => e.Kind == ReferralEventKind.Attempt).ToList();
        Assert.Equal([503, 200, 201], attempts.Select(a => a.StatusCode ?? 0));
        var verdict = await ReferralPackage.VerifyAsync(new MemoryStream(endpoint.Received.Last().Body), core.Get<ReferralSigningKey>().PublicKey.Base64, default);
        Assert.True(verdict.Valid, string.Join("; ", verdict.Findings));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task After_the_last_attempt_the_referral_is_failed_and_a_phone_delivery_ends_it_without_another_send(DatabaseProvider provider)
    {
        await using var endpoint = await FakeAuthorityEndpoint.StartAsync();
        await using var core = await Review.ReviewScenario.CreateAsync(provider, extra: Settings(endpoint.Url, maxAttempts: 2));
        var c = await ThreatCaseAsync(core, "threat-3", "acct-t3", country: "IT");
        var referrals = core.Get<ReferralService>();
        var delivery = core.Get<ReferralDelivery>();
        var release = new TaskCompletionSource();
        // Slow: the endpoint holds the request until the test ends, so only Bulwark's own time limit can end the attempt.
        endpoint.Respond = async _ => { await release.Task; return (201, """{"receipt":"late"}"""); };
        var v = (await referrals.SubmitAsync(new ReferralSubmission(c.Id, "Threat naming a school.", null, null), Legal, default)).Value!;
        Assert.Equal(1, (await delivery.RunOnceAsync("w", default)).Retrying);
        Assert.Contains("no answer within", (await RowAsync(core, v.Id)).LastError);
        endpoint.Respond = FakeAuthorityEndpoint.Down;
        core.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await delivery.RunOnceAsync("w", default)).Failed);
        Assert.Equal(ReferralStatus.Failed, (await RowAsync(core, v.Id)).Status);
        core.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await delivery.RunOnceAsync("w", default)).Claimed);

        var bad = await referrals.RecordPhoneDeliveryAsync(v.Id, " ", null, Legal, default);
        Assert.Equal(ReferralError.Invalid, bad.Error);
        var phoned = await referrals.RecordPhoneDeliveryAsync(v.Id, "Duty officer (invented), example unit", "Read the reference and the place aloud.", Legal, default);
        Assert.True(phoned.Ok, phoned.Message);
        Assert.Equal(ReferralStatus.Delivered, phoned.Value!.Status);
        Assert.Equal(ReferralError.WrongState, (await referrals.ResendAsync(v.Id, Legal, default)).Error);
        Assert.Equal(ReferralError.WrongState, (await referrals.RecordPhoneDeliveryAsync(v.Id, "again", null, Legal, default)).Error);
        Assert.True((await referrals.RecordFollowUpAsync(v.Id, "The authority asks for the account's other uploads.", Legal, default)).Ok);
        var kinds = (await EventsAsync(core, v.Id)).Select(e => e.Kind).ToList();
        Assert.Equal([ReferralEventKind.Submitted, ReferralEventKind.Attempt, ReferralEventKind.Attempt, ReferralEventKind.Failed, ReferralEventKind.Phone, ReferralEventKind.FollowUp], kinds);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Subject == "referral:" + v.Reference).OrderBy(a => a.Seq).Select(a => a.Action).ToListAsync();
        Assert.Equal(["referral.submitted", "referral.delivery_failed", "referral.delivered_by_phone", "referral.follow_up"], audit);
        Assert.True((await core.Get<AuditVerifier>().VerifyAsync(default)).FirstBroken is null);
        release.SetResult();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_recipient_is_the_member_states_registry_entry_else_the_configured_one_else_Europol(DatabaseProvider provider)
    {
        await using (var core = await Review.ReviewScenario.CreateAsync(provider, extra: Settings("https://it.example.invalid/intake")))
        {
            var c = await ThreatCaseAsync(core, "threat-4", "acct-t4");
            var v = (await core.Get<ReferralService>().SubmitAsync(new ReferralSubmission(c.Id, "Unclear where.", null, null), Legal, default)).Value!;
            Assert.Equal(("EXAMPLE Europol fallback (invented)", "EU", ReferralChannels.Manual, ReferralStatus.AwaitingManual), (v.Recipient.Name, v.Recipient.MemberState, v.Recipient.Channel, v.Status));
            Assert.Equal("unclear", v.MemberStateBasis);
            var other = await core.Get<ReferralService>().SubmitAsync(new ReferralSubmission(c.Id + 1000, "x", null, null), Legal, default);
            Assert.Equal(ReferralError.CaseNotFound, other.Error);
            var invalid = await core.Get<ReferralService>().SubmitAsync(new ReferralSubmission(c.Id, "", "whenever", "Italy"), Legal, default);
            Assert.Equal(["assessment", "urgency", "memberState"], invalid.Errors.Select(e => e.Field));
        }
        await using (var core = await Review.ReviewScenario.CreateAsync(provider, extra: Settings(null, europol: null)))
        {
            var c = await ThreatCaseAsync(core, "threat-5", "acct-t5", country: "FR");
            // Nothing configured and no French entry in the registry: the registry's built-in Europol entry, which has no
            // contact point yet, so the referral waits to be delivered by hand.
            var r = await core.Get<ReferralService>().SubmitAsync(new ReferralSubmission(c.Id, "No recipient configured.", null, null), Legal, default);
            Assert.Equal(ReferralError.None, r.Error);
            var v = r.Value!;
            Assert.Equal(("EU", ReferralChannels.Manual, ReferralStatus.AwaitingManual), (v.Recipient.MemberState, v.Recipient.Channel, v.Status));
            Assert.StartsWith("Europol", v.Recipient.Name);
        }
        await using (var core = await Review.ReviewScenario.CreateAsync(provider, extra: Settings(null, europol: null)))
        {
            // A French authority in the registry is preferred to any fallback.
            var saved = await core.Get<Bulwark.Core.Authorities.Registry.AuthorityRegistry>().SaveAsync(new Bulwark.Core.Authorities.Registry.AuthorityInput(
                "fr-example", "EXAMPLE French referral authority (invented)", "FR", [Bulwark.Core.Authorities.Registry.Competences.Referrals],
                Bulwark.Core.Authorities.Registry.Channels.Manual, "EXAMPLE ONLY", Fallback: false, Example: true, Active: true, Note: null), "policy-admin", default);
            Assert.Empty(saved.Errors);
            var c = await ThreatCaseAsync(core, "threat-6", "acct-t6", country: "FR");
            var r = await core.Get<ReferralService>().SubmitAsync(new ReferralSubmission(c.Id, "Registry entry.", null, null), Legal, default);
            Assert.Equal(("EXAMPLE French referral authority (invented)", "FR"), (r.Value!.Recipient.Name, r.Value.Recipient.MemberState));
        }
    }

    private static string verdictMedia(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.First(e => e.FullName.StartsWith("media/", StringComparison.Ordinal)).FullName;
    }

    private static async Task<byte[]> ReadAsync(ZipArchive archive, string name)
    {
        await using var s = await archive.GetEntry(name)!.OpenAsync();
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        return ms.ToArray();
    }

    private static async Task<byte[]> TamperAsync(byte[] zip, string entry, Func<string, string> change)
    {
        var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var e in source.Entries)
            {
                var bytes = await ReadAsync(source, e.FullName);
                if (e.FullName == entry) bytes = Encoding.UTF8.GetBytes(change(Encoding.UTF8.GetString(bytes)));
                await using var w = await target.CreateEntry(e.FullName).OpenAsync();
                await w.WriteAsync(bytes);
            }
        return output.ToArray();
    }
}
