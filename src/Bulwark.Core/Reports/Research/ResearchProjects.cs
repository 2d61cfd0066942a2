using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Reports.Research;

/// <summary>A researcher's application, as filed through the web form or the CLI.</summary>
public sealed record ResearchApplication(
    string? Title, string? Organisation, string? ApplicantName, string? ApplicantEmail, string? IndependenceDeclaration,
    string? Funding, string? Description, string? Safeguards, string? PublicSummary,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Requested, DateOnly? Start, DateOnly? End);

public static class ProjectDecisions
{
    public const string Approve = "approve";
    public const string Narrow = "narrow";
    public const string Reject = "reject";
}

/// <summary>A policy admin's decision. <see cref="Grant"/> null = as requested (approve); narrowing names a strict subset.</summary>
public sealed record ProjectDecision(
    string Decision, string? Reason, IReadOnlyDictionary<string, IReadOnlyList<string>>? Grant = null, DateOnly? EndDate = null,
    int? DailyRequests = null, int? DailyRecords = null, int? PerMinute = null);

public sealed record NewMember(long MemberId, string ClientId, string ClientSecret);

public sealed record PublicProject(long Id, string Title, string Organisation, string PublicSummary, IReadOnlyList<string> Datasets, DateOnly? EndDate, bool Narrowed);

public sealed record ProjectResult<T>(T? Value, IReadOnlyList<FieldError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Projects and vetting: applications, a policy admin's approval, narrowing or rejection with reasons, members and their
/// credentials. Every change is audited in the same transaction as the change.
/// </summary>
public sealed class ResearchProjects(IBulwarkDbFactory dbs, AuditLog audit, ResearchOptions options, TimeProvider clock)
{
    public async Task<ProjectResult<long>> ApplyAsync(ResearchApplication a, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        Required(errors, "title", a.Title, 200);
        Required(errors, "organisation", a.Organisation, 200);
        Required(errors, "applicantName", a.ApplicantName, 200);
        Required(errors, "applicantEmail", a.ApplicantEmail, 320);
        if (a.ApplicantEmail is { } email && !email.Contains('@')) errors.Add(new("applicantEmail", "is not an e-mail address"));
        Required(errors, "independenceDeclaration", a.IndependenceDeclaration, 5000);
        Required(errors, "funding", a.Funding, 2000);
        Required(errors, "description", a.Description, 10000);
        Required(errors, "safeguards", a.Safeguards, 5000);
        Required(errors, "publicSummary", a.PublicSummary, 2000);
        CheckGrant(errors, "requested", a.Requested);
        if (a.Start is null) errors.Add(new("start", "is required (the first day of the research)"));
        if (a.End is null) errors.Add(new("end", "is required (the last day of the research)"));
        if (a.Start is { } s && a.End is { } e && e < s) errors.Add(new("end", "is before start"));
        if (errors.Count > 0) return new(0, errors);

        await using var db = dbs.Create();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = new ResearchProjectRow
        {
            Title = a.Title!.Trim(), Organisation = a.Organisation!.Trim(), ApplicantName = a.ApplicantName!.Trim(), ApplicantEmail = a.ApplicantEmail!.Trim(),
            IndependenceDeclaration = a.IndependenceDeclaration!, Funding = a.Funding!, Description = a.Description!, Safeguards = a.Safeguards!,
            PublicSummary = a.PublicSummary!, RequestedJson = Json(a.Requested!), RequestedStart = a.Start!.Value, RequestedEnd = a.End!.Value,
            Status = ProjectStatus.Applied, AppliedAt = clock.GetUtcNow(), PseudonymKey = RandomNumberGenerator.GetBytes(32),
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "research.project.applied", Subject(row.Id), After: row.RequestedJson)], ct);
        await tx.CommitAsync(ct);
        return new(row.Id, []);
    }

    public async Task<ProjectResult<ResearchProjectRow>> DecideAsync(long id, ProjectDecision d, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        await using var db = dbs.Create();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.Set<ResearchProjectRow>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (row is null) return new(null, [new("id", $"research project {id} does not exist")]);
        if (row.Status != ProjectStatus.Applied) errors.Add(new("decision", $"the project is already {row.Status}; only an application can be decided"));
        if (d.Decision is not (ProjectDecisions.Approve or ProjectDecisions.Narrow or ProjectDecisions.Reject))
            errors.Add(new("decision", "must be approve, narrow or reject"));
        if (string.IsNullOrWhiteSpace(d.Reason) || d.Reason.Length > 5000) errors.Add(new("reason", "is required (1–5,000 characters): the applicant is told why"));
        var requested = Parse(row.RequestedJson);
        var grant = d.Grant ?? requested;
        if (d.Decision == ProjectDecisions.Narrow)
        {
            if (d.Grant is null) errors.Add(new("grant", "is required when narrowing: the datasets and fields granted"));
            else
            {
                CheckGrant(errors, "grant", d.Grant);
                foreach (var (ds, fields) in d.Grant)
                    foreach (var f in fields)
                        if (!requested.TryGetValue(ds, out var asked) || !asked.Contains(f))
                            errors.Add(new($"grant.{ds}", $"'{f}' was not requested; narrowing can only remove"));
                if (errors.Count == 0 && d.Grant.Sum(g => g.Value.Count) >= requested.Sum(r => r.Value.Count))
                    errors.Add(new("grant", "grants everything requested; use approve"));
            }
        }
        var end = d.EndDate ?? row.RequestedEnd;
        if (d.Decision != ProjectDecisions.Reject && end > row.RequestedEnd) errors.Add(new("endDate", $"is after the requested end {row.RequestedEnd:yyyy-MM-dd}"));
        if (d.DailyRequests is < 1 || d.DailyRecords is < 1 || d.PerMinute is < 1) errors.Add(new("quota", "limits must be positive"));
        if (errors.Count > 0) return new(null, errors);

        var now = clock.GetUtcNow();
        row.DecisionReason = d.Reason;
        row.DecidedBy = actor;
        row.DecidedAt = now;
        if (d.Decision == ProjectDecisions.Reject) row.Status = ProjectStatus.Rejected;
        else
        {
            row.Status = ProjectStatus.Approved;
            row.Narrowed = d.Decision == ProjectDecisions.Narrow;
            row.GrantedJson = Json(grant);
            row.EndDate = end;
            row.DailyRequests = d.DailyRequests ?? options.DailyRequests;
            row.DailyRecords = d.DailyRecords ?? options.DailyRecords;
            row.PerMinute = d.PerMinute ?? options.PerMinute;
        }
        await db.SaveChangesAsync(ct);
        var action = d.Decision switch { ProjectDecisions.Reject => "rejected", ProjectDecisions.Narrow => "narrowed", _ => "approved" };
        await audit.AppendAsync(db, [new AuditRecord(actor, "research.project." + action, Subject(id), Before: row.RequestedJson,
            After: row.Status == ProjectStatus.Approved ? $"{row.GrantedJson} until {end:yyyy-MM-dd}; {row.DailyRequests} requests, {row.DailyRecords} records a day" : null,
            Reason: d.Reason)], ct);
        await tx.CommitAsync(ct);
        return new(row, []);
    }

    /// <summary>Adds the principal (first member) or a collaborator; the secret is returned once and only its hash is kept.</summary>
    public async Task<ProjectResult<NewMember>> AddMemberAsync(long projectId, string? name, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200) return new(null, [new("name", "is required (1–200 characters)")]);
        await using var db = dbs.Create();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var project = await db.Set<ResearchProjectRow>().FirstOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null) return new(null, [new("projectId", $"research project {projectId} does not exist")]);
        if (project.Status != ProjectStatus.Approved) return new(null, [new("projectId", $"the project is {project.Status}; members are added to approved projects")]);
        var members = await db.Set<ResearchMemberRow>().CountAsync(m => m.ProjectId == projectId && m.RevokedAt == null, ct);
        if (members >= 1 + options.MaxCollaborators)
            return new(null, [new("name", $"the project already has a principal and {options.MaxCollaborators} collaborators")]);
        var secret = ResearchTokens.NewSecret(ResearchTokens.SecretPrefix);
        var row = new ResearchMemberRow
        {
            ProjectId = projectId, Name = name.Trim(), Role = members == 0 ? "principal" : "collaborator",
            ClientId = ResearchTokens.NewSecret(ResearchTokens.ClientPrefix, 12), SecretHash = ResearchTokens.Hash(secret), CreatedAt = clock.GetUtcNow(),
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "research.member.added", Subject(projectId), After: $"{row.Role} {row.Name} ({row.ClientId})")], ct);
        await tx.CommitAsync(ct);
        return new(new NewMember(row.Id, row.ClientId, secret), []);
    }

    /// <summary>Revokes a member's credentials and every token issued to them.</summary>
    public async Task<bool> RevokeMemberAsync(string clientId, string reason, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await db.Set<ResearchMemberRow>().FirstOrDefaultAsync(m => m.ClientId == clientId && m.RevokedAt == null, ct);
        if (member is null) return false;
        var now = clock.GetUtcNow();
        member.RevokedAt = now;
        await db.SaveChangesAsync(ct);
        await db.Set<ResearchTokenRow>().Where(t => t.MemberId == member.Id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "research.member.revoked", Subject(member.ProjectId), Before: member.ClientId, Reason: reason)], ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<ResearchProjectRow?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<ResearchProjectRow>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
    }

    public async Task<List<ResearchProjectRow>> ListAsync(string? status, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<ResearchProjectRow>().AsNoTracking();
        if (status is not null) q = q.Where(p => p.Status == status);
        return await q.OrderBy(p => p.Id).ToListAsync(ct);
    }

    public async Task<List<ResearchMemberRow>> MembersAsync(long projectId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<ResearchMemberRow>().AsNoTracking().Where(m => m.ProjectId == projectId).OrderBy(m => m.Id).ToListAsync(ct);
    }

    /// <summary>The public register of approved projects: title, organisation, public summary, datasets, end date.</summary>
    public async Task<List<PublicProject>> PublicAsync(CancellationToken ct) =>
        (await ListAsync(ProjectStatus.Approved, ct))
            .Select(p => new PublicProject(p.Id, p.Title, p.Organisation, p.PublicSummary, Parse(p.GrantedJson).Keys.Order().ToList(), p.EndDate, p.Narrowed)).ToList();

    /// <summary>Records a user's objection; their content (or the one item) leaves every later answer. Audited.</summary>
    public async Task<long> RecordObjectionAsync(string? accountId, string? contentId, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = new ResearchObjectionRow { AccountId = accountId, ContentId = contentId, At = clock.GetUtcNow(), RecordedBy = actor };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "research.objection.recorded", accountId is not null ? "account:" + accountId : "content:" + contentId)], ct);
        await tx.CommitAsync(ct);
        return row.Id;
    }

    public static string Subject(long id) => "research-project:" + id;

    public static Dictionary<string, IReadOnlyList<string>> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, List<string>>>(json)!.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value);

    private static string Json(IReadOnlyDictionary<string, IReadOnlyList<string>> grant) =>
        JsonSerializer.Serialize(grant.OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Value.Distinct().Order(StringComparer.Ordinal).ToList()));

    /// <summary>Every dataset and field must exist in the catalogue.</summary>
    private static void CheckGrant(List<FieldError> errors, string prefix, IReadOnlyDictionary<string, IReadOnlyList<string>>? grant)
    {
        if (grant is null || grant.Count == 0) { errors.Add(new(prefix, "names no dataset; request at least one catalogue entry with its fields")); return; }
        foreach (var (name, fields) in grant)
        {
            if (ResearchCatalogue.Find(name) is not { } dataset) { errors.Add(new($"{prefix}.{name}", "is not a dataset of the catalogue")); continue; }
            if (fields.Count == 0) errors.Add(new($"{prefix}.{name}", "names no field"));
            foreach (var f in fields)
                if (dataset.Field(f) is null) errors.Add(new($"{prefix}.{name}", $"'{f}' is not a field of {name}"));
        }
    }

    private static void Required(List<FieldError> errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(field, "is required"));
        else if (value.Length > max) errors.Add(new(field, $"is longer than {max} characters"));
        else if (value.Contains('\0')) errors.Add(new(field, "contains a NUL character"));
    }
}
