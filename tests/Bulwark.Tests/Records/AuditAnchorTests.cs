using System.Text.Json;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Anchoring;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Bulwark.Tests.Records;

/// <summary>
/// Audit anchoring: signed checkpoints of the chain's head written outside the database every N entries, and verification
/// that names where a chain rewritten from some entry on (hashes recomputed) departs from them.
/// </summary>
public class AuditAnchorTests
{
    private static Dictionary<string, string?> Anchor(string file, int every = 10) => new()
    {
        ["Bulwark:Audit:Anchor:File"] = file,
        ["Bulwark:Audit:Anchor:CheckpointEvery"] = every.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task Append(CoreServices core, int count)
    {
        var log = core.Get<AuditLog>();
        for (var i = 0; i < count; i++)
        {
            core.Clock.Advance(TimeSpan.FromSeconds(7));
            await log.RecordAsync(core.Get<IBulwarkDbFactory>(), new AuditRecord("tester", "thing.changed", $"thing:{i}", Reason: "because"), default);
        }
    }

    /// <summary>What an attacker with database access does: edit entry <paramref name="seq"/> and recompute every hash after it.</summary>
    private static async Task RewriteAndRechain(CoreServices core, long seq)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var entries = await db.AuditEntries.Where(e => e.Seq >= seq - 1).OrderBy(e => e.Seq).ToListAsync();
        var prev = entries[0].Seq == seq - 1 ? entries[0].Hash : AuditLog.GenesisHash;
        foreach (var e in entries.Where(e => e.Seq >= seq))
        {
            if (e.Seq == seq) e.Reason = "nothing to see here";
            e.PrevHash = prev;
            e.Hash = AuditLog.ComputeHash(e);
            prev = e.Hash;
        }
        await db.SaveChangesAsync();
    }

    private static List<AuditCheckpoint> Checkpoints(string file) =>
        AuditCheckpointFile.Read(file).Where(l => l.Checkpoint is not null).Select(l => l.Checkpoint!).ToList();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Checkpoints_are_written_every_N_entries_signed_and_timed_by_the_clock(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-anchor-{Guid.NewGuid():N}", "checkpoints.jsonl");
        await using var core = await CoreServices.CreateAsync(provider, Anchor(file));
        var writer = core.Get<AuditCheckpointWriter>();
        Assert.Empty(await writer.WriteDueAsync(ct)); // nothing to anchor yet, no file
        Assert.False(File.Exists(file));

        await Append(core, 25);
        var now = core.Clock.GetUtcNow();
        var written = await writer.WriteDueAsync(ct);
        Assert.Equal([10L, 20L], written.Select(c => c.Seq));
        Assert.All(written, c => Assert.Equal(AuditCheckpoint.FormatTime(now), c.Time));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal((await db.AuditEntries.SingleAsync(e => e.Seq == 20, ct)).Hash, written[1].Hash);
        var key = core.Get<AuditSigningKey>().PublicKey;
        Assert.All(written, c => Assert.True(c.IsSignedBy(key)));
        Assert.Empty(await writer.WriteDueAsync(ct)); // nothing new is due

        core.Clock.Advance(TimeSpan.FromMinutes(5));
        await Append(core, 5);
        Assert.Equal([30L], (await writer.WriteDueAsync(ct)).Select(c => c.Seq));
        Assert.Equal(AuditCheckpoint.FormatTime(core.Clock.GetUtcNow()), Checkpoints(file)[^1].Time);

        // The file: a header naming the key, then one line per checkpoint.
        var lines = await File.ReadAllLinesAsync(file, ct);
        Assert.Equal(4, lines.Length);
        var header = JsonSerializer.Deserialize<AuditCheckpointHeader>(lines[0])!;
        Assert.Equal((AuditCheckpointHeader.FileType, key.Id, key.Base64), (header.Type, header.KeyId, header.PublicKey));

        // A restarted writer takes its position from the file: it writes neither 10, 20 nor 30 again.
        await using var again = await CoreServices.CreateAsync(provider, new(Anchor(file)) { ["ConnectionStrings:Bulwark"] = core.Database.ConnectionString, ["Bulwark:Webhooks:KeysPath"] = core.Database.Settings()["Bulwark:Webhooks:KeysPath"] });
        await Append(core, 10);
        Assert.Equal([40L], (await again.Get<AuditCheckpointWriter>().WriteDueAsync(ct)).Select(c => c.Seq));
        Assert.Equal([10L, 20L, 30L, 40L], Checkpoints(file).Select(c => c.Seq));
        var result = await core.Get<AuditAnchorVerifier>().VerifyFileAsync(file, key, ct);
        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal((4, 40L), (result.Checkpoints, result.AnchoredUpTo));
        Directory.Delete(Path.GetDirectoryName(file)!, true);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_rewritten_and_rechained_entry_passes_the_chain_check_but_not_the_checkpoints(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-anchor-{Guid.NewGuid():N}.jsonl");
        await using var core = await CoreServices.CreateAsync(provider, Anchor(file));
        await Append(core, 50);
        var writer = core.Get<AuditCheckpointWriter>();
        Assert.Equal(5, (await writer.WriteDueAsync(ct)).Count);
        var head30 = Checkpoints(file).Single(c => c.Seq == 30).Hash;

        await RewriteAndRechain(core, 23);
        // The chain alone cannot tell: every hash was recomputed.
        Assert.True((await core.Get<AuditVerifier>().VerifyAsync(ct)).Intact);

        var key = core.Get<AuditSigningKey>().PublicKey;
        var result = await core.Get<AuditAnchorVerifier>().VerifyFileAsync(file, key, ct);
        Assert.False(result.Ok);
        Assert.Equal(30, result.FirstDisagreement); // the first checkpoint after entry 23
        Assert.Equal(20, result.AgreesUpTo);
        Assert.Contains("an entry from 21 to 30 was changed", Assert.Single(result.Problems));

        // A head hash kept from before: by itself it is no longer in the chain; with its entry number it is named.
        Assert.Contains("no entry has the anchored hash", Assert.Single((await core.Get<AuditAnchorVerifier>().VerifyHeadAsync(head30, ct)).Problems));
        Assert.Equal(30, (await core.Get<AuditAnchorVerifier>().VerifyHeadAsync($"30:{head30}", ct)).FirstDisagreement);
        Assert.True((await core.Get<AuditAnchorVerifier>().VerifyHeadAsync($"20:{Checkpoints(file).Single(c => c.Seq == 20).Hash}", ct)).Ok);

        // The writer refuses to sign a chain that no longer follows its last checkpoint.
        await RewriteAndRechain(core, 45);
        await Append(core, 10);
        Assert.Empty(await writer.WriteDueAsync(ct));
        Assert.Contains("entry 51 does not follow the checkpoint of entry 50", writer.LastError);
        File.Delete(file);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Entries_removed_from_the_end_are_caught_by_a_checkpoint(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-anchor-{Guid.NewGuid():N}.jsonl");
        await using var core = await CoreServices.CreateAsync(provider, Anchor(file));
        await Append(core, 30);
        await core.Get<AuditCheckpointWriter>().WriteDueAsync(ct);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            await db.Database.ExecuteSqlRawAsync("DELETE FROM audit_log WHERE seq > 25", ct);
        Assert.True((await core.Get<AuditVerifier>().VerifyAsync(ct)).Intact);
        var result = await core.Get<AuditAnchorVerifier>().VerifyFileAsync(file, core.Get<AuditSigningKey>().PublicKey, ct);
        Assert.Equal(30, result.FirstDisagreement);
        Assert.Contains("the log ends at entry 25", Assert.Single(result.Problems));
        File.Delete(file);
    }

    [Fact]
    public async Task A_forged_or_altered_checkpoint_is_reported_and_not_trusted()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-anchor-{Guid.NewGuid():N}.jsonl");
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, Anchor(file));
        await Append(core, 20);
        await core.Get<AuditCheckpointWriter>().WriteDueAsync(ct);
        var key = core.Get<AuditSigningKey>().PublicKey;
        var genuine = Checkpoints(file);

        // An attacker who rewrote the chain from entry 3 appends checkpoints matching the new chain: one re-using a genuine
        // signature with the new hash, one signed with a key of their own (its id made to look like the real one).
        await RewriteAndRechain(core, 3);
        string newHead;
        await using (var db = core.Get<IBulwarkDbFactory>().Create()) newHead = (await db.AuditEntries.SingleAsync(e => e.Seq == 20, ct)).Hash;
        var altered = genuine[1] with { Hash = newHead };
        using var own = Key.Create(SignatureAlgorithm.Ed25519);
        var forged = new AuditCheckpoint(1, 20, 20, newHead, genuine[1].Time, key.Id, "");
        forged = forged with { Signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(own, forged.SignedBytes())) };
        await File.AppendAllLinesAsync(file, [altered.ToJson(), forged.ToJson(), "{\"seq\": 3", "[1,2]"], ct);

        var result = await core.Get<AuditAnchorVerifier>().VerifyFileAsync(file, key, ct);
        Assert.False(result.Ok);
        Assert.Contains(result.Problems, p => p.StartsWith("line 4: the checkpoint of entry 20 has a bad signature", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("line 5: the checkpoint of entry 20 has a bad signature", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("line 6: not valid JSON", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("line 7: not a JSON object", StringComparison.Ordinal));
        // The forgeries are not used: the genuine checkpoints still name where the chain departs.
        Assert.Equal((10L, 0L), (result.FirstDisagreement!.Value, result.AgreesUpTo));

        // A checkpoint signed by another key (named as such) is refused too, and without a trusted key nothing is trusted silently.
        var stranger = new AuditPublicKey(own.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        var other = await core.Get<AuditAnchorVerifier>().VerifyFileAsync(file, stranger, ct);
        Assert.Contains(other.Problems, p => p.Contains($"names key {key.Id}, not the trusted key {stranger.Id}", StringComparison.Ordinal));
        var headerKey = await core.Get<AuditAnchorVerifier>().VerifyFileAsync(file, null, ct);
        Assert.Contains("the file's own header", headerKey.Warning);
        File.Delete(file);
    }

    [Theory]
    [InlineData("Bulwark:Audit:Anchor:CheckpointEvery", "0", "CheckpointEvery")]
    [InlineData("Bulwark:Audit:Anchor:Url", "ftp://anchor.example/x", "not an absolute http(s) URL")]
    [InlineData("Bulwark:Audit:Anchor:Url", "/relative", "not an absolute http(s) URL")]
    [InlineData("Bulwark:Audit:Anchor:PollSeconds", "0", "PollSeconds")]
    public async Task Bad_anchor_settings_stop_start_up_with_a_message_naming_them(string key, string value, string message)
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new() { [key] = value });
        var ex = Assert.Throws<OptionsValidationException>(() => core.Services.GetRequiredService<IOptions<AuditAnchorOptions>>().Value);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task Checkpoints_are_posted_to_the_anchor_url_and_a_failed_post_is_retried()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await TestReceiver.StartAsync();
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new()
        {
            ["Bulwark:Audit:Anchor:Url"] = receiver.Url + "/anchor",
            ["Bulwark:Audit:Anchor:CheckpointEvery"] = "5",
            ["Bulwark:Audit:Anchor:AllowedInternal:0"] = "127.0.0.1",
        });
        var writer = core.Get<AuditCheckpointWriter>();
        receiver.Respond = _ => Task.FromResult(503);
        await Append(core, 12);
        Assert.Equal([5L, 10L], (await writer.WriteDueAsync(ct)).Select(c => c.Seq));
        Assert.Contains("answered 503", writer.LastError);
        receiver.Respond = _ => Task.FromResult(200);
        Assert.Empty(await writer.WriteDueAsync(ct)); // nothing new, but the pending ones go out
        Assert.Null(writer.LastError);
        var bodies = receiver.Received.Where(r => r.Path == "/anchor").Select(r => JsonSerializer.Deserialize<AuditCheckpoint>(r.Body)!).ToList();
        // The first was tried twice (503, then 200); each arrives signed.
        Assert.Equal([5L, 5L, 10L], bodies.Select(b => b.Seq));
        Assert.All(bodies, b => Assert.True(b.IsSignedBy(core.Get<AuditSigningKey>().PublicKey)));
    }

    [Fact]
    public async Task The_anchor_url_goes_through_the_address_guard_and_an_internal_anchor_must_be_allow_listed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await TestReceiver.StartAsync();
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new()
        {
            ["Bulwark:Audit:Anchor:Url"] = receiver.Url + "/anchor",
            ["Bulwark:Audit:Anchor:CheckpointEvery"] = "5",
        });
        var writer = core.Get<AuditCheckpointWriter>();
        await Append(core, 5);
        Assert.Equal([5L], (await writer.WriteDueAsync(ct)).Select(c => c.Seq));
        Assert.Contains("could not be reached", writer.LastError);
        Assert.Contains("forbidden", writer.LastError);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task The_cli_prints_the_public_key_and_verify_with_an_anchor_names_the_rewritten_range()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-anchor-{Guid.NewGuid():N}.jsonl");
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, Anchor(file));
        await Append(core, 30);
        await core.Get<AuditCheckpointWriter>().WriteDueAsync(ct);
        var db = core.Database;

        var shown = await CliRunner.RunAsync(db, "audit", "public-key");
        Assert.True(shown.ExitCode == 0, shown.Err);
        Assert.Contains(core.Get<AuditSigningKey>().PublicKey.Base64, shown.Out);
        var keyFile = Path.Combine(db.Directory, "audit.pub");
        await File.WriteAllTextAsync(keyFile, shown.Out, ct);

        var ok = await CliRunner.RunAsync(db, "audit", "verify", "--anchor", file, "--public-key", keyFile);
        Assert.True(ok.ExitCode == 0, ok.Out + ok.Err);
        Assert.Contains("3 checkpoint(s) agree", ok.Out);

        await RewriteAndRechain(core, 14);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "audit", "verify")).ExitCode); // the gap this closes
        var broken = await CliRunner.RunAsync(db, "audit", "verify", "--anchor", file); // key from the shared key ring
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("first disagreement at entry 20; entries up to 10 agree", broken.Out);
        Assert.Contains("an entry from 11 to 20 was changed", broken.Out);

        var bad = await CliRunner.RunAsync(db, "audit", "verify", "--anchor", "not-a-file-or-hash");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("neither an existing checkpoint file nor a head hash", bad.Err);
        File.Delete(file);
    }
}
