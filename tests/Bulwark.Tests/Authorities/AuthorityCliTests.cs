using System.Text.Json;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Authorities;

/// <summary>
/// <c>bulwark authorities orders list|show|feedback</c>, <c>authorities referrals list|export|verify|public-key</c> and
/// <c>apikey create --scopes …,authorities</c>, as a user runs them.
/// </summary>
public class AuthorityCliTests
{
    [Fact]
    public async Task The_CLI_lists_shows_and_prints_the_feedback_of_orders_and_creates_keys_with_the_authorities_scope()
    {
        await using var core = await RemovalOrderTests.CreateAsync(DatabaseProvider.Sqlite);
        await core.Get<Bulwark.Core.Ingest.IngestService>().AcceptOneAsync(new Bulwark.Core.Ingest.ContentEvent { Id = "cli-c1", Kind = "text", Text = "synthetic" }, null, default);
        var orders = core.Get<RemovalOrderService>();
        var executed = (await orders.ReceiveAsync(RemovalOrderTests.Order("IT-CLI-1", ["cli-c1"]), "t", default)).Value!;
        var waiting = (await orders.ReceiveAsync(RemovalOrderTests.Order("IT-CLI-2", ["cli-unknown"]), "t", default)).Value!;

        var list = await CliRunner.RunAsync(core.Database, "authorities", "orders", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("IT-CLI-1", list.Out);
        Assert.Contains("IT-CLI-2", list.Out);
        Assert.Contains("2 order(s).", list.Err);
        Assert.StartsWith("id,reference,authority,member_state,received_at,status,minutes_left,executed_at,items,breach", list.Out);
        var open = await CliRunner.RunAsync(core.Database, "authorities", "orders", "list", "--status", "open");
        Assert.DoesNotContain("IT-CLI-1", open.Out);

        var show = await CliRunner.RunAsync(core.Database, "authorities", "orders", "show", executed.Id.ToString());
        Assert.Equal(0, show.ExitCode);
        Assert.Equal("executed", JsonDocument.Parse(show.Out).RootElement.GetProperty("status").GetString());
        var feedback = await CliRunner.RunAsync(core.Database, "authorities", "orders", "feedback", executed.Id.ToString());
        Assert.Equal(AnnexForms.AnnexIISchema, JsonDocument.Parse(feedback.Out).RootElement.GetProperty("schema").GetString());
        var none = await CliRunner.RunAsync(core.Database, "authorities", "orders", "feedback", waiting.Id.ToString());
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("has no Annex II feedback yet", none.Err);
        Assert.Equal(1, (await CliRunner.RunAsync(core.Database, "authorities", "orders", "show", "999")).ExitCode);

        var key = await CliRunner.RunAsync(core.Database, "apikey", "create", "--name", "gateway", "--scopes", "read,authorities");
        Assert.Equal(0, key.ExitCode);
        Assert.Contains("authorities", (await CliRunner.RunAsync(core.Database, "apikey", "list")).Out);
    }

    [Fact]
    public async Task The_CLI_lists_referrals_exports_a_signed_package_and_verifies_it_against_the_pinned_key()
    {
        await using var core = await Review.ReviewScenario.CreateAsync(DatabaseProvider.Sqlite, extra: Referrals.ReferralScenario.Settings("+39 000 000 000 (example)", itChannel: "manual"));
        var c = await Referrals.ReferralScenario.ThreatCaseAsync(core, "cli-threat", "acct-cli", country: "IT");
        var sent = await core.Get<Bulwark.Core.Authorities.Referrals.ReferralService>().SubmitAsync(
            new Bulwark.Core.Authorities.Referrals.ReferralSubmission(c.Id, "Synthetic: names a time and a place.", "immediate", null), "lea", default);
        Assert.True(sent.Ok, sent.Message);
        var id = sent.Value!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var list = await CliRunner.RunAsync(core.Database, "authorities", "referrals", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.StartsWith("id,reference,status,case,content,urgency,recipient,member_state,channel", list.Out);
        Assert.Contains(sent.Value.Reference, list.Out);

        var dir = Directory.CreateTempSubdirectory("bulwark-referral-cli");
        try
        {
            var zip = Path.Combine(dir.FullName, "referral.zip");
            var export = await CliRunner.RunAsync(core.Database, "authorities", "referrals", "export", id, "--out", zip);
            Assert.True(export.ExitCode == 0, export.Err);
            var key = (await CliRunner.RunAsync(core.Database, "authorities", "referrals", "public-key")).Out.Split(' ')[0].Trim();
            var ok = await CliRunner.RunAsync(core.Database, "authorities", "referrals", "verify", zip, "--public-key", key);
            Assert.True(ok.ExitCode == 0, ok.Out + ok.Err);
            Assert.Contains($"OK referral {sent.Value.Reference}: signature valid", ok.Out);

            // A package changed after export fails, naming what does not match.
            var tampered = Path.Combine(dir.FullName, "tampered.zip");
            File.Copy(zip, tampered);
            using (var archive = System.IO.Compression.ZipFile.Open(tampered, System.IO.Compression.ZipArchiveMode.Update))
            {
                var entry = archive.GetEntry("manifest.json")!;
                string text;
                using (var r = new StreamReader(entry.Open())) text = await r.ReadToEndAsync();
                entry.Delete();
                await using var w = new StreamWriter(archive.CreateEntry("manifest.json").Open());
                await w.WriteAsync(text.Replace("acct-cli", "acct-xxx"));
            }
            var bad = await CliRunner.RunAsync(core.Database, "authorities", "referrals", "verify", tampered, "--public-key", key);
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains("FAIL", bad.Out);
            Assert.Equal(1, (await CliRunner.RunAsync(core.Database, "authorities", "referrals", "export", "999", "--out", Path.Combine(dir.FullName, "none.zip"))).ExitCode);
        }
        finally { dir.Delete(recursive: true); }
    }
}
