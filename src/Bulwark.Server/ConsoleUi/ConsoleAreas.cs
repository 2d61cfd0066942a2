using System.Security.Claims;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Bulwark.Server.ConsoleUi;

/// <summary>
/// A part of the console (a folder of pages) and the roles that may read it (GET) and change things through it (every
/// other method). The folder's policy is enforced by the authorization middleware before any page or handler runs, so a
/// forged POST is refused exactly as a hidden link would be. Auditors read; they are never writers.
/// </summary>
public sealed record ConsoleArea(string Key, string Folder, string Path, string NavKey, IReadOnlyList<string> Readers, IReadOnlyList<string> Writers)
{
    public string Policy => "console:" + Key;
    public bool CanRead(ClaimsPrincipal user) => Readers.Any(user.IsInRole);
    public bool CanWrite(ClaimsPrincipal user) => Writers.Any(user.IsInRole);
}

public static class ConsoleAreas
{
    /// <summary>Any signed-in console user (home, own account).</summary>
    public const string SignedIn = "console";

    private static readonly string[] Deciders = [.. ConsoleRoles.Deciders];

    // The case page (/cases/{id}) and its media and reveal handlers live in the Queues folder, so they share its policy.
    public static readonly ConsoleArea Queues = new("queues", "/Queues", "/queues", "Nav.Queues", [.. Deciders, ConsoleRoles.Auditor], Deciders);
    public static readonly ConsoleArea Qa = new("qa", "/Qa", "/qa", "Nav.Qa", [ConsoleRoles.SeniorModerator, ConsoleRoles.Auditor], [ConsoleRoles.SeniorModerator]);
    public static readonly ConsoleArea Appeals = new("appeals", "/Appeals", "/appeals", "Nav.Appeals", [.. Deciders, ConsoleRoles.Auditor], Deciders);
    public static readonly ConsoleArea Designations = new("designations", "/Designations", "/designations", "Nav.Designations",
        [ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.PolicyAdmin]);
    public static readonly ConsoleArea Research = new("research", "/Research", "/research", "Nav.Research",
        [ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.PolicyAdmin]);
    public static readonly ConsoleArea Legal = new("legal", "/Legal", "/legal", "Nav.Legal", [ConsoleRoles.LegalOfficer, ConsoleRoles.Auditor], [ConsoleRoles.LegalOfficer]);
    // Removal orders and referrals (legal officers); the registry of competent authorities (policy admins change it).
    public static readonly ConsoleArea Authorities = new("authorities", "/Authorities", "/authorities", "Nav.Authorities",
        [ConsoleRoles.LegalOfficer, ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.LegalOfficer, ConsoleRoles.PolicyAdmin]);
    public static readonly ConsoleArea AuthoritiesReferrals = new("authorities-referrals", "/Referrals", "/authorities/referrals", "Nav.AuthoritiesReferrals",
        [ConsoleRoles.LegalOfficer, ConsoleRoles.SeniorModerator, ConsoleRoles.Auditor], [ConsoleRoles.LegalOfficer, ConsoleRoles.SeniorModerator]);
    public static readonly ConsoleArea Audit = new("audit", "/Audit", "/audit", "Nav.Audit", [ConsoleRoles.Auditor, ConsoleRoles.Administrator], []);
    public static readonly ConsoleArea Reports = new("reports", "/Reports", "/reports", "Nav.Reports", [ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.PolicyAdmin]);
    // Search reads for every decider and auditor; opening a case from it is a decider's change (the service checks the queue).
    public static readonly ConsoleArea Search = new("search", "/Search", "/search", "Nav.Search", [.. Deciders, ConsoleRoles.Auditor], Deciders);
    // Queues and routing (issue 23 item 5): policy admins change them, auditors read.
    public static readonly ConsoleArea Routing = new("routing", "/Routing", "/routing", "Nav.Routing", [ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.PolicyAdmin]);
    public static readonly ConsoleArea Team = new("team", "/Team", "/team", "Nav.Team", [ConsoleRoles.SeniorModerator, ConsoleRoles.Auditor], [ConsoleRoles.SeniorModerator]);
    // Notices (DSA Art. 16): people who decide cases read them and mark manifestly unfounded ones; policy admins decide notifiers' appeals.
    public static readonly ConsoleArea Notices = new("notices", "/Notices", "/notices", "Nav.Notices",
        [.. Deciders, ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [.. Deciders, ConsoleRoles.PolicyAdmin]);
    // The trusted flaggers registry (DSA Art. 22), administered by policy admins.
    public static readonly ConsoleArea Flaggers = new("flaggers", "/Flaggers", "/flaggers", "Nav.Flaggers", [ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.PolicyAdmin]);
    // The entity registry browsed and revoked (issue 23 item 6); proposals are decided under Designations.
    public static readonly ConsoleArea Entities = new("entities", "/Entities", "/entities", "Nav.Entities", [ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.PolicyAdmin]);
    public static readonly ConsoleArea Exchanges = new("exchanges", "/Exchanges", "/exchanges", "Nav.Exchanges", [ConsoleRoles.PolicyAdmin, ConsoleRoles.Auditor], [ConsoleRoles.PolicyAdmin]);
    public static readonly ConsoleArea Users = new("users", "/Admin", "/admin/users", "Nav.Users", [ConsoleRoles.Administrator, ConsoleRoles.Auditor], [ConsoleRoles.Administrator]);

    /// <summary>In navigation order.</summary>
    public static readonly IReadOnlyList<ConsoleArea> All = [Queues, Search, Team, Routing, Qa, Appeals, Notices, Flaggers, Designations, Entities, Research, Legal, Authorities, AuthoritiesReferrals, Reports, Exchanges, Audit, Users];

    /// <summary>The area a request path belongs to (for the 403 page), or null.</summary>
    public static ConsoleArea? ForPath(string? path) =>
        path is null ? null
        : path.StartsWith("/cases", StringComparison.OrdinalIgnoreCase) ? Queues
        // Referrals sit beside the authorities area (Pages/Referrals), so that senior moderators, who refer threats, need not
        // read removal orders; their paths are under /authorities/referrals.
        : path.StartsWith("/authorities/referrals", StringComparison.OrdinalIgnoreCase) ? AuthoritiesReferrals
        : All.FirstOrDefault(a => path.StartsWith(a.Folder, StringComparison.OrdinalIgnoreCase));

    public static void AddPolicies(AuthorizationOptions o)
    {
        o.AddPolicy(SignedIn, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser()
            .RequireRole(ConsoleRoles.All));
        foreach (var area in All)
            o.AddPolicy(area.Policy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser()
                .AddRequirements(new ConsoleAreaRequirement(area)));
    }
}

public sealed record ConsoleAreaRequirement(ConsoleArea Area) : IAuthorizationRequirement;

/// <summary>GET and HEAD need a reader's role; anything else a writer's.</summary>
public sealed class ConsoleAreaHandler : AuthorizationHandler<ConsoleAreaRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ConsoleAreaRequirement requirement)
    {
        var method = context.Resource switch
        {
            HttpContext http => http.Request.Method,
            Microsoft.AspNetCore.Mvc.Filters.AuthorizationFilterContext filter => filter.HttpContext.Request.Method,
            _ => HttpMethods.Post, // unknown: judge it as a change
        };
        var reading = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        if (reading ? requirement.Area.CanRead(context.User) : requirement.Area.CanWrite(context.User)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
