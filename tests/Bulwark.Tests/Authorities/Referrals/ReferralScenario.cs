using Bulwark.Core.Actions.Review;
using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Authorities.Referrals;

/// <summary>A threat-to-life case from a real pipeline decision, and referral settings with invented, clearly-marked example recipients.</summary>
internal static class ReferralScenario
{
    public const string Legal = "lea";

    public static Dictionary<string, string?> Settings(string? itEndpoint, string itChannel = "https", string? europol = "manual", int maxAttempts = 4)
    {
        var s = new Dictionary<string, string?>
        {
            ["Bulwark:Webhooks:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Authorities:Referrals:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bulwark:Authorities:Referrals:TimeoutSeconds"] = "2",
        };
        var i = 0;
        if (itEndpoint is not null)
        {
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Name"] = "EXAMPLE Polizia (invented)";
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:MemberState"] = "IT";
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Channel"] = itChannel;
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Address"] = itEndpoint;
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Example"] = "true";
            i++;
        }
        if (europol is not null)
        {
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Name"] = "EXAMPLE Europol fallback (invented)";
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:MemberState"] = "EU";
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Channel"] = europol;
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Address"] = europol == "manual" ? "+00 000 000 000 (example)" : "https://europol.example.invalid/intake";
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Fallback"] = "true";
            s[$"Bulwark:Authorities:Referrals:Recipients:{i}:Example"] = "true";
        }
        return s;
    }

    /// <summary>Uploads a clip the demo bank labels an imminent threat: the shipped rule removes it and escalates it to threat-to-life.</summary>
    public static async Task<ReviewCaseRow> ThreatCaseAsync(CoreServices core, string id, string account, string? country = null)
    {
        if (country is not null)
            await core.Get<Bulwark.Core.Accounts.AccountService>().UpsertAsync(new Bulwark.Core.Ingest.AccountProfile { Id = account, Handle = "@" + account, Country = country }, "tester", default);
        await UploadAsync(core, id, account, Imminent, text: "Synthetic threat text for tests: invented place, invented time.");
        await RunAsync(core);
        return await CaseOfAsync(core, id, "threat-to-life");
    }

    public static async Task<List<ReferralEventRow>> EventsAsync(CoreServices core, long id)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReferralEventRow>().AsNoTracking().Where(e => e.ReferralId == id).OrderBy(e => e.Id).ToListAsync();
    }

    public static async Task<ReferralRow> RowAsync(CoreServices core, long id)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReferralRow>().AsNoTracking().FirstAsync(r => r.Id == id);
    }
}
