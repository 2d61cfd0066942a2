using Bulwark.Core.Signals.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Infrastructure;

/// <summary>An invented designated group, approved, so texts naming it get a decision of their own (fictional; not a real organisation).</summary>
public static class TestEntities
{
    public const string CinderOath = "Cinder Oath Brigade";

    public static async Task<long> ApproveCinderOathAsync(IServiceProvider services)
    {
        var registry = services.GetRequiredService<EntityRegistry>();
        await services.GetRequiredService<EntityScreeningService>().EnsureLoadedAsync(default);
        var created = await registry.CreateAsync(new EntityInput(EntityKinds.Organisation, CinderOath, EntityTiers.TerroristOrganisation,
            "TEST: fictional militia", Notes: "TEST: invented for the test suite; not a real organisation.",
            Terms: [new(EntityTermTypes.Alias, "Cinder Oath")]), "test", default);
        await registry.ApproveAsync(created.Id, "test designation", "test", default);
        return created.Id;
    }
}
