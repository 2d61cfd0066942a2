using Bulwark.Core.Signals.Entities;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bulwark.Server.Health;

/// <summary>Readiness: the designated-entity screening index is loaded (approved entities, patterns, last rebuild).</summary>
public sealed class EntityScreeningHealthCheck(EntityScreeningService screening) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var data = new Dictionary<string, object>
        {
            ["entities"] = screening.Entities, ["patterns"] = screening.Patterns, ["lastUpdate"] = screening.LastUpdate?.ToString("O") ?? "never",
        };
        if (!screening.Loaded)
            return Task.FromResult(HealthCheckResult.Unhealthy($"entity screening index not loaded yet{(screening.LastError is null ? "" : $": {screening.LastError}")}", data: data));
        var description = $"entity screening: {screening.Entities} approved entities, {screening.Patterns} patterns, last update {screening.LastUpdate:O}";
        return Task.FromResult(screening.LastError is null ? HealthCheckResult.Healthy(description, data) : HealthCheckResult.Degraded($"{description}; last refresh failed: {screening.LastError}", data: data));
    }
}
