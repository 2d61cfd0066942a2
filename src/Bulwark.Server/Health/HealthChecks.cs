using System.Text.Json;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bulwark.Server.Health;

/// <summary>Readiness: the database answers. Later stages add their own checks with the <c>ready</c> tag (e.g. an index loaded).</summary>
public sealed class DatabaseHealthCheck(DatabaseMigrator migrator, IBulwarkDbFactory dbs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await migrator.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy($"{dbs.Provider} reachable")
            : HealthCheckResult.Unhealthy($"{dbs.Provider} database unreachable");
}

/// <summary>Readiness: the pipeline workers are running and have looped recently.</summary>
public sealed class WorkerHealthCheck(WorkerStatus status, TimeProvider clock, PipelineOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!options.WorkersEnabled) return Task.FromResult(HealthCheckResult.Healthy("workers disabled on this node"));
        if (Volatile.Read(ref status.Running) == 0) return Task.FromResult(HealthCheckResult.Unhealthy("workers not running"));
        var since = clock.GetUtcNow() - status.LastHeartbeat;
        // A batch may legitimately take a while; a heartbeat older than the lease means a stuck loop.
        if (since > TimeSpan.FromSeconds(Math.Max(30, options.LeaseSeconds)))
            return Task.FromResult(HealthCheckResult.Unhealthy($"workers have not looped for {since.TotalSeconds:F0} s"));
        return Task.FromResult(status.LastError is null
            ? HealthCheckResult.Healthy($"{status.Running} worker loop(s) running")
            : HealthCheckResult.Degraded($"workers retrying after: {status.LastError}"));
    }
}

public static class HealthResponse
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        });
    }
}
