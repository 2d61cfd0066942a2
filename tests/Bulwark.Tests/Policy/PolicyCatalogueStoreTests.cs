using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Policy;

/// <summary>Catalogue versions: a valid change is stored and audited; one that is invalid or breaks the active rules is refused whole.</summary>
public class PolicyCatalogueStoreTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_catalogue_change_is_validated_against_the_active_rules_stored_and_audited(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var store = core.Get<PolicyStore>();
        var json = PolicyCatalogue.DefaultJson;

        // Dropping VE-INSTRUCT would leave the shipped rules instruct-known-material, instruct-speech and ban-evasion-instruct without their policy.
        var without = PolicyCatalogue.Parse(json, out _)!;
        without = without with { Version = "no-instruct", Policies = without.Policies!.Where(p => p.Id != "VE-INSTRUCT").ToList() };
        var refused = await store.UpdateCatalogueAsync(without.ToJson(), "policy-admin", default);
        Assert.False(refused.Applied);
        Assert.Equal(3, refused.Errors.Count);
        Assert.Contains(refused.Errors, e => e.StartsWith("the active rules would no longer compile: ban-evasion.rules:28:10: unknown policy 'VE-INSTRUCT'", StringComparison.Ordinal));
        Assert.Contains(refused.Errors, e => e.StartsWith("the active rules would no longer compile: instruct.rules:4:10: unknown policy 'VE-INSTRUCT'", StringComparison.Ordinal));
        Assert.Contains(refused.Errors, e => e.StartsWith("the active rules would no longer compile: instruct.rules:15:10: unknown policy 'VE-INSTRUCT'", StringComparison.Ordinal));

        var invalid = await store.UpdateCatalogueAsync(json.Replace("\"strikeWeight\": 1,", "\"strikeWeight\": -1,"), "policy-admin", default);
        Assert.Equal(["policies[2].strikeWeight: must be between 0 and 100"], invalid.Errors);
        Assert.False((await store.UpdateCatalogueAsync("{\"version\": 1}", "policy-admin", default)).Applied);

        var heavier = json.Replace("\"version\": \"2026-01-default\"", "\"version\": \"2026-02\"").Replace("\"strikeWeight\": 1,", "\"strikeWeight\": 1.5,");
        var applied = await store.UpdateCatalogueAsync(heavier, "policy-admin", default);
        Assert.True(applied.Applied, string.Join("; ", applied.Errors));
        Assert.Equal(("2026-01-default", "2026-02"), (applied.Before, applied.After));
        var now = await store.GetCatalogueAsync(default);
        Assert.Equal(1.5, now.Find("VE-GLORIFY")!.StrikeWeight);
        // The active rules now weigh VE-GLORIFY strikes with the new catalogue.
        Assert.Equal("2026-02", (await store.GetActiveRulesAsync(default)).Catalogue.Version);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.Set<PolicyCatalogueRow>().CountAsync());
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == "policy.catalogue_updated");
        Assert.Equal(("policy-admin", "2026-01-default", "2026-02"), (audit.Actor, audit.Before, audit.After));
    }
}
