using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Policy;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Restrictions;

/// <summary>A person confirming through the restriction writer, as the console and the API do.</summary>
internal static class Confirm
{
    /// <summary>
    /// Confirms with <paramref name="measures"/>, or the policy's default measures (what the console form starts from); a
    /// threshold or zero-tolerance consequence the preview shows is then accepted, as a person who read the preview would.
    /// </summary>
    public static async Task<RestrictionResult> AsPersonAsync(CoreServices core, long decisionId, string? violation, string? reason, string actor,
        IReadOnlyList<string>? measures = null, bool acceptConsequences = true)
    {
        var writer = core.Get<RestrictionWriter>();
        if (measures is null)
        {
            var catalogue = await core.Get<PolicyStore>().GetCatalogueAsync(default);
            await using var db = core.Get<IBulwarkDbFactory>().Create();
            var policyId = await db.Decisions.Where(d => d.Id == decisionId).Select(d => d.Policy).FirstOrDefaultAsync();
            measures = policyId is not null && catalogue.Find(policyId) is { } policy ? Measures.DefaultsOf(policy) : [];
        }
        var request = new RestrictionRequest
        {
            DecisionId = decisionId, Source = RestrictionSource.Person, Actor = RestrictionActor.Unrestricted(actor),
            Measures = measures, Violation = violation, Reason = reason,
        };
        if (acceptConsequences)
        {
            var plan = await writer.PreviewAsync(request, default);
            if (plan.Consequences.Count > 0) request = request with { Measures = [.. measures, .. plan.Consequences] };
        }
        return await writer.CommitAsync(request, default);
    }
}
