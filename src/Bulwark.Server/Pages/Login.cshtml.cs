using Bulwark.Core.Security.Users;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages;

/// <summary>
/// Sign-in with user name and password. Wrong passwords count towards the lockout; a user with a second factor goes on to
/// <c>/login/2fa</c>. Every attempt is audited (the typed name is the actor, clipped). The user's language is restored.
/// </summary>
public sealed class LoginModel(SignInManager<ConsoleUser> signIn, ConsoleUserService users, ConsoleUserOptions options, IStringLocalizer<ConsoleText> t)
    : ConsolePageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Errors.Add(t["Login.Missing"]);
            return Page();
        }
        var name = UserName.Trim();
        var actor = name.Length > 100 ? name[..100] : name;
        var result = await signIn.PasswordSignInAsync(name, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await users.RecordSignInAsync(actor, "succeeded", ct);
            await RestoreLanguageAsync(name);
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }
        if (result.RequiresTwoFactor)
        {
            await users.RecordSignInAsync(actor, "password_accepted", ct);
            return RedirectToPage("/LoginTwoFactor", new { ReturnUrl });
        }
        await users.RecordSignInAsync(actor, result.IsLockedOut ? "locked_out" : "failed", ct);
        Errors.Add(result.IsLockedOut ? t["Login.LockedOut", options.LockoutMinutes] : t["Login.Failed"]);
        return Page();
    }

    private async Task RestoreLanguageAsync(string name)
    {
        if (await signIn.UserManager.FindByNameAsync(name) is { Language: { } language } && ConsoleLanguages.IsKnown(language))
            ConsoleSetup.SetLanguageCookie(Response, language, options.SecureCookies);
    }

    /// <summary>Only a local path is followed after sign-in (never another site).</summary>
    internal static string SafeReturnUrl(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] != '/' && url[1] != '\\' ? url : "/";
}
