using Bulwark.Core.Signals.KnownContent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bulwark.Server.Health;

/// <summary>Readiness: the PDQ index is loaded (entries, hashes, last update); video hashing availability is reported, not required.</summary>
public sealed class KnownContentHealthCheck(PdqIndexService index, MediaHasher hasher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var video = hasher.VideoAvailable(out var why) ? "video hashing available" : $"video hashing unavailable: {why}";
        var data = new Dictionary<string, object>
        {
            ["entries"] = index.Entries, ["hashes"] = index.Hashes, ["videoHashing"] = why is null,
            ["lastUpdate"] = index.LastUpdate?.ToString("O") ?? "never",
        };
        if (!index.Loaded)
            return Task.FromResult(HealthCheckResult.Unhealthy($"PDQ index not loaded yet{(index.LastError is null ? "" : $": {index.LastError}")}; {video}", data: data));
        var description = $"PDQ index: {index.Entries} entries ({index.Hashes} hashes), last update {index.LastUpdate:O}; {video}";
        return Task.FromResult(why is null && index.LastError is null ? HealthCheckResult.Healthy(description, data) : HealthCheckResult.Degraded(description, data: data));
    }
}
