using Microsoft.Extensions.Configuration;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// <c>Bulwark:Roles</c>: what this process runs, any of <c>api</c>, <c>worker</c>, <c>webhooks</c>, <c>scheduler</c>
/// (comma-separated; default all). The same binary then runs as an API node (<c>api</c>), a pipeline worker (<c>worker</c>),
/// a webhook sender (<c>webhooks</c>), or the periodic jobs (<c>scheduler</c>: preservation purge, audit checkpoints,
/// research copies, transparency rollups — run these in one process only).
/// </summary>
public sealed record ProcessRoles(bool Api, bool Worker, bool Webhooks, bool Scheduler)
{
    public const string Key = "Bulwark:Roles";
    public static readonly ProcessRoles All = new(true, true, true, true);
    private static readonly string[] Names = ["api", "worker", "webhooks", "scheduler"];

    /// <summary>The configured roles, or a start-up error naming the unknown one.</summary>
    public static ProcessRoles From(IConfiguration? configuration)
    {
        var value = configuration?[Key];
        if (string.IsNullOrWhiteSpace(value)) return All;
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).ToHashSet();
        if (parts.FirstOrDefault(p => !Names.Contains(p)) is { } unknown)
            throw new InvalidOperationException($"{Key} names '{unknown}'; the roles are {string.Join(", ", Names)} (comma-separated).");
        if (parts.Count == 0) throw new InvalidOperationException($"{Key} is empty; name at least one of {string.Join(", ", Names)}.");
        return new(parts.Contains("api"), parts.Contains("worker"), parts.Contains("webhooks"), parts.Contains("scheduler"));
    }
}
