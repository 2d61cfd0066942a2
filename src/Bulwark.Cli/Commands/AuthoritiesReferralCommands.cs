using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>authorities referrals list [--status S]</c>, <c>authorities referrals export ID --out FILE</c>,
/// <c>authorities referrals verify FILE [--public-key KEY]</c>, <c>authorities referrals public-key</c>.
/// </summary>
public static class AuthoritiesReferralCommands
{
    /// <summary>The <c>referrals</c> subcommand; <see cref="Create"/> hangs it under <c>authorities</c> (the orders commands join it there at merge).</summary>
    public static Command Referrals(Option<string?> config)
    {
        var status = new Option<string?>("--status") { Description = "Only referrals in this state: " + string.Join(", ", ReferralStatus.All) + "." };
        status.AcceptOnlyFromAmong([.. ReferralStatus.All]);
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 1000 };
        var list = new Command("list", "Referrals as CSV: id,reference,status,case,content,urgency,recipient,member_state,channel,example,escalated,referred,minutes_to_referral,over_target,delivered,attempts,last_error.") { status, limit };
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var rows = await sp.GetRequiredService<ReferralService>().ListAsync(parse.GetValue(status), Math.Clamp(parse.GetValue(limit), 1, 100_000), ct);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine("id,reference,status,case,content,urgency,recipient,member_state,channel,example,escalated,referred,minutes_to_referral,over_target,delivered,attempts,last_error");
            foreach (var r in rows)
                Console.WriteLine(string.Join(',', r.Id.ToString(inv), CsvCells.Field(r.Reference), r.Status, r.CaseId.ToString(inv), CsvCells.Field(r.ContentId), r.Urgency ?? "",
                    CsvCells.Field(r.Recipient.Name), r.Recipient.MemberState ?? "", r.Recipient.Channel ?? "", r.Recipient.Example ? "true" : "false",
                    r.Clock.EscalatedAt.ToString("O", inv), r.Clock.ReferredAt?.ToString("O", inv) ?? "", r.Clock.Minutes.ToString("0.#", inv), r.Clock.OverTarget ? "true" : "false",
                    r.DeliveredAt?.ToString("O", inv) ?? "", r.Attempts.ToString(inv), CsvCells.Field(r.LastError)));
            return 0;
        });

        var id = new Argument<long>("id") { Description = "The referral id (see list)." };
        var output = new Option<string>("--out") { Description = "The zip file to write (manifest.json, manifest.sig.json, summary.html, media/).", Required = true };
        var export = new Command("export", "Write a referral's signed package as a zip (audited as cli).") { id, output };
        export.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var path = Path.GetFullPath(parse.GetValue(output)!);
            var temp = path + ".partial";
            ReferralResult<string> result;
            await using (var file = File.Create(temp))
                result = await sp.GetRequiredService<ReferralService>().ExportAsync(parse.GetValue(id), file, "cli", ct);
            if (!result.Ok)
            {
                File.Delete(temp);
                throw new CliException(result.Message!);
            }
            File.Move(temp, path, overwrite: true);
            Console.WriteLine($"Referral {result.Value} written to {path}; check it with `bulwark authorities referrals verify {path}`.");
            return 0;
        });

        var package = new Argument<string>("file") { Description = "A referral package (zip)." };
        var key = new Option<string?>("--public-key") { Description = "The signer's Ed25519 public key (base64), obtained from the platform separately; without it the key inside the package is used (integrity only, not origin)." };
        var verify = new Command("verify", "Check a referral package: the Ed25519 signature over manifest.json and the SHA-256 of every file it lists; exit 1 on any finding.") { package, key };
        verify.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(package)!;
            if (!File.Exists(path)) throw new CliException($"{path} does not exist");
            await using var file = File.OpenRead(path);
            var v = await ReferralPackage.VerifyAsync(file, parse.GetValue(key), ct);
            foreach (var f in v.Findings) Console.WriteLine($"FAIL {f}");
            if (v.Valid)
                Console.WriteLine($"OK referral {v.Reference}: signature valid (key {v.KeyId}{(v.Trusted ? ", the key given" : ", the key inside the package: pass --public-key to check who signed it")}), every listed file matches.");
            return v.Valid ? 0 : 1;
        });

        var publicKey = new Command("public-key", "Print the Ed25519 public key (base64) and id that sign referral manifests, for recipients to pin.");
        publicKey.SetAction(parse =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var k = sp.GetRequiredService<ReferralSigningKey>().PublicKey;
            Console.WriteLine($"{k.Base64} (key id {k.Id})");
            return 0;
        });
        return new Command("referrals", "Referrals to law enforcement (DSA Art. 18): list, export the signed package, verify one.") { list, export, verify, publicKey };
    }

}
