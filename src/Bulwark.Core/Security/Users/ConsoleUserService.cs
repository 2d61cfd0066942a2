using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Security.Users;

public enum UserProblem { None, NotFound, Invalid }

/// <summary>The outcome of a change to a user: every reason it was refused (Identity's own messages for passwords and names).</summary>
public sealed record UserOutcome(UserProblem Problem, IReadOnlyList<string> Errors)
{
    public static readonly UserOutcome Ok = new(UserProblem.None, []);
    public bool Succeeded => Problem == UserProblem.None;
    public static UserOutcome Invalid(params string[] errors) => new(UserProblem.Invalid, errors);
    public static UserOutcome NotFound(string userName) => new(UserProblem.NotFound, [$"There is no console user '{userName}'."]);
}

public sealed record ConsoleUserView(
    string Id, string UserName, IReadOnlyList<string> Roles, bool TwoFactorEnabled, bool Disabled, DateTimeOffset? LockedUntil,
    int FailedAttempts, string? Language, DateTimeOffset CreatedAt, string? CreatedBy);

/// <summary>
/// Console users and their roles. Every change runs in one write transaction with its audit entry (who changed whom, what
/// before and after), so a refused change (a weak password, an unknown role) leaves nothing behind. A disabled user is one
/// locked out indefinitely; locking and role changes renew the security stamp, which ends the user's open sessions.
/// </summary>
public sealed class ConsoleUserService(
    UserManager<ConsoleUser> users, RoleManager<IdentityRole> roles, BulwarkDbContext db, IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    /// <summary>LockoutEnd of a disabled user: far enough to mean "until enabled again".</summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Creates the roles of <see cref="ConsoleRoles"/> that do not exist yet (at every start; idempotent). Several processes of
    /// a fresh deployment may start at once: the one that loses the race to insert a role (a unique-key violation, or Identity's
    /// "already taken" when the winner committed first) rolls back, reads the roles again and finds nothing left to do.
    /// </summary>
    public async Task EnsureRolesAsync(CancellationToken ct)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var existing = await db.Roles.AsNoTracking().Select(r => r.Name).ToListAsync(ct);
            var missing = ConsoleRoles.All.Except(existing.OfType<string>(), StringComparer.Ordinal).ToList();
            if (missing.Count == 0) return;
            UserOutcome outcome;
            try
            {
                outcome = await InTransactionAsync(async () =>
                {
                    foreach (var role in missing)
                    {
                        var result = await roles.CreateAsync(new IdentityRole(role));
                        if (!result.Succeeded) return UserOutcome.Invalid(Messages(result));
                    }
                    return UserOutcome.Ok;
                }, () => [new AuditRecord("system", "console.roles_seeded", "console:roles", After: string.Join(",", missing))], ct);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex) && attempt < attempts)
            {
                db.ChangeTracker.Clear(); // the rolled-back roles must not be saved by a later call on this scope
                continue;
            }
            if (outcome.Succeeded) return;
            if (attempt >= attempts)
                throw new InvalidOperationException($"The console roles could not be created: {string.Join(" ", outcome.Errors)}");
        }
    }

    public async Task<UserOutcome> CreateAsync(string userName, string password, IReadOnlyCollection<string> roleNames, string actor, CancellationToken ct)
    {
        var problems = RoleProblems(roleNames);
        if (string.IsNullOrWhiteSpace(userName)) problems.Insert(0, "A user name is required.");
        if (problems.Count > 0) return UserOutcome.Invalid([.. problems]);
        await EnsureRolesAsync(ct);
        var user = new ConsoleUser { UserName = userName.Trim(), CreatedAt = clock.GetUtcNow(), CreatedBy = actor };
        return await InTransactionAsync(async () =>
        {
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded) return UserOutcome.Invalid(Messages(created));
            var added = await users.AddToRolesAsync(user, roleNames.Distinct());
            return added.Succeeded ? UserOutcome.Ok : UserOutcome.Invalid(Messages(added));
        }, () => [new AuditRecord(actor, "console.user_created", Subject(user.UserName), After: $"roles={Roles(roleNames)}")], ct);
    }

    public async Task<IReadOnlyList<ConsoleUserView>> ListAsync(CancellationToken ct)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var links = await db.UserRoles.AsNoTracking()
            .Join(db.Roles.AsNoTracking(), ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var byUser = links.GroupBy(l => l.UserId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(l => l.Name!).Order(StringComparer.Ordinal).ToList());
        return all.Select(u => View(u, byUser.GetValueOrDefault(u.Id) ?? [])).ToList();
    }

    public async Task<ConsoleUserView?> GetAsync(string userName, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(userName);
        return user is null ? null : View(user, [.. (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Replaces the user's roles with <paramref name="roleNames"/> (at least one).</summary>
    public async Task<UserOutcome> SetRolesAsync(string userName, IReadOnlyCollection<string> roleNames, string actor, CancellationToken ct)
    {
        var problems = RoleProblems(roleNames);
        if (problems.Count > 0) return UserOutcome.Invalid([.. problems]);
        await EnsureRolesAsync(ct);
        var user = await users.FindByNameAsync(userName);
        if (user is null) return UserOutcome.NotFound(userName);
        var before = await users.GetRolesAsync(user);
        return await InTransactionAsync(async () =>
        {
            var removed = await users.RemoveFromRolesAsync(user, before.Except(roleNames, StringComparer.Ordinal));
            if (!removed.Succeeded) return UserOutcome.Invalid(Messages(removed));
            var added = await users.AddToRolesAsync(user, roleNames.Distinct().Except(before, StringComparer.Ordinal));
            if (!added.Succeeded) return UserOutcome.Invalid(Messages(added));
            await users.UpdateSecurityStampAsync(user);
            return UserOutcome.Ok;
        }, () => [new AuditRecord(actor, "console.user_roles_set", Subject(user.UserName), Before: $"roles={Roles(before)}", After: $"roles={Roles(roleNames)}")], ct);
    }

    /// <summary>Disables (locks indefinitely, ending open sessions) or enables (unlocks, clears failed attempts) a user.</summary>
    public async Task<UserOutcome> SetDisabledAsync(string userName, bool disabled, string actor, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null) return UserOutcome.NotFound(userName);
        var before = Describe(user);
        return await InTransactionAsync(async () =>
        {
            var result = await users.SetLockoutEndDateAsync(user, disabled ? DisabledUntil : null);
            if (result.Succeeded) result = await users.ResetAccessFailedCountAsync(user);
            if (result.Succeeded && disabled) result = await users.UpdateSecurityStampAsync(user);
            return result.Succeeded ? UserOutcome.Ok : UserOutcome.Invalid(Messages(result));
        }, () => [new AuditRecord(actor, disabled ? "console.user_disabled" : "console.user_enabled", Subject(user.UserName), Before: before, After: Describe(user))], ct);
    }

    /// <summary>Sets a new password chosen by an administrator (the old one is not needed); open sessions end.</summary>
    public async Task<UserOutcome> SetPasswordAsync(string userName, string password, string actor, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null) return UserOutcome.NotFound(userName);
        var weak = await ValidatePasswordAsync(user, password);
        if (weak.Count > 0) return UserOutcome.Invalid([.. weak]);
        return await InTransactionAsync(async () =>
        {
            var removed = await users.RemovePasswordAsync(user);
            if (!removed.Succeeded) return UserOutcome.Invalid(Messages(removed));
            var added = await users.AddPasswordAsync(user, password);
            return added.Succeeded ? UserOutcome.Ok : UserOutcome.Invalid(Messages(added));
        }, () => [new AuditRecord(actor, "console.user_password_set", Subject(user.UserName))], ct);
    }

    /// <summary>The user's own change: the current password is required.</summary>
    public async Task<UserOutcome> ChangePasswordAsync(ConsoleUser user, string current, string password, CancellationToken ct) =>
        await InTransactionAsync(async () =>
        {
            var result = await users.ChangePasswordAsync(user, current, password);
            return result.Succeeded ? UserOutcome.Ok : UserOutcome.Invalid(Messages(result));
        }, () => [new AuditRecord(user.UserName!, "console.password_changed", Subject(user.UserName))], ct);

    public async Task<UserOutcome> SetLanguageAsync(ConsoleUser user, string language, CancellationToken ct)
    {
        if (!ConsoleLanguages.IsKnown(language)) return UserOutcome.Invalid($"Unknown language '{language}': use one of {string.Join(", ", ConsoleLanguages.All)}.");
        var before = user.Language;
        return await InTransactionAsync(async () =>
        {
            user.Language = language;
            var result = await users.UpdateAsync(user);
            return result.Succeeded ? UserOutcome.Ok : UserOutcome.Invalid(Messages(result));
        }, () => [new AuditRecord(user.UserName!, "console.language_set", Subject(user.UserName), Before: before, After: language)], ct);
    }

    /// <summary>The shared key for an authenticator app; a new one is made when the user has none yet.</summary>
    public async Task<string> AuthenticatorKeyAsync(ConsoleUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (!string.IsNullOrEmpty(key)) return key;
        await users.ResetAuthenticatorKeyAsync(user);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    /// <summary>Turns on the second factor once the user proves the app works (a current code); returns fresh recovery codes.</summary>
    public async Task<(UserOutcome Outcome, IReadOnlyList<string> RecoveryCodes)> EnableTwoFactorAsync(ConsoleUser user, string code, CancellationToken ct)
    {
        var normalized = code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, normalized))
            return (UserOutcome.Invalid("The code is not valid: check the authenticator app's clock and enter the current six-digit code."), []);
        IReadOnlyList<string> codes = [];
        var outcome = await InTransactionAsync(async () =>
        {
            var result = await users.SetTwoFactorEnabledAsync(user, true);
            if (!result.Succeeded) return UserOutcome.Invalid(Messages(result));
            codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
            return UserOutcome.Ok;
        }, () => [new AuditRecord(user.UserName!, "console.two_factor_enabled", Subject(user.UserName))], ct);
        return (outcome, outcome.Succeeded ? codes : []);
    }

    /// <summary>Turns off the second factor and forgets the key (the user's own choice, or an administrator's reset).</summary>
    public async Task<UserOutcome> ResetTwoFactorAsync(string userName, string actor, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null) return UserOutcome.NotFound(userName);
        return await InTransactionAsync(async () =>
        {
            var result = await users.SetTwoFactorEnabledAsync(user, false);
            if (result.Succeeded) result = await users.ResetAuthenticatorKeyAsync(user);
            if (result.Succeeded) result = await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "RecoveryCodes");
            return result.Succeeded ? UserOutcome.Ok : UserOutcome.Invalid(Messages(result));
        }, () => [new AuditRecord(actor, "console.two_factor_reset", Subject(user.UserName))], ct);
    }

    /// <summary>Records a sign-in attempt (its own transaction: a failed attempt is recorded too).</summary>
    public Task RecordSignInAsync(string userName, string outcome, CancellationToken ct) =>
        audit.RecordAsync(dbs, new AuditRecord(userName, $"console.sign_in_{outcome}", Subject(userName)), ct);

    public Task RecordSignOutAsync(string userName, CancellationToken ct) =>
        audit.RecordAsync(dbs, new AuditRecord(userName, "console.sign_out", Subject(userName)), ct);

    private async Task<List<string>> ValidatePasswordAsync(ConsoleUser user, string password)
    {
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded) errors.AddRange(Messages(result));
        }
        return errors;
    }

    private async Task<UserOutcome> InTransactionAsync(Func<Task<UserOutcome>> change, Func<IReadOnlyList<AuditRecord>> records, CancellationToken ct)
    {
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var outcome = await change();
        if (!outcome.Succeeded)
        {
            db.ChangeTracker.Clear(); // nothing of a refused change may be saved by a later call on this scope
            return outcome;
        }
        await audit.AppendAsync(db, records(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return outcome;
    }

    private static List<string> RoleProblems(IReadOnlyCollection<string> roleNames)
    {
        var problems = new List<string>();
        if (roleNames.Count == 0) problems.Add($"At least one role is required: {string.Join(", ", ConsoleRoles.All)}.");
        foreach (var unknown in roleNames.Where(r => !ConsoleRoles.IsKnown(r)))
            problems.Add($"Unknown role '{unknown}': use one of {string.Join(", ", ConsoleRoles.All)}.");
        return problems;
    }

    private ConsoleUserView View(ConsoleUser u, IReadOnlyList<string> roleNames)
    {
        var disabled = u.LockoutEnd >= DisabledUntil.AddYears(-1);
        var locked = !disabled && u.LockoutEnd > clock.GetUtcNow() ? u.LockoutEnd : null;
        return new(u.Id, u.UserName!, roleNames, u.TwoFactorEnabled, disabled, locked, u.AccessFailedCount, u.Language, u.CreatedAt, u.CreatedBy);
    }

    private static string Describe(ConsoleUser u) =>
        u.LockoutEnd is null ? "active" : u.LockoutEnd >= DisabledUntil.AddYears(-1) ? "disabled" : $"locked until {u.LockoutEnd:O}";

    private static string Roles(IEnumerable<string> roleNames) => string.Join(",", roleNames.Distinct().Order(StringComparer.Ordinal));
    internal static string Subject(string? userName) => $"console-user:{userName}";
    private static string[] Messages(IdentityResult result) => [.. result.Errors.Select(e => e.Description)];
}
