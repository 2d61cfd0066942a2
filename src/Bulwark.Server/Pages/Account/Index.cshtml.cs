using Bulwark.Core.Security.Users;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Account;

/// <summary>The signed-in user's own settings: interface language, password, second factor. Open to every role.</summary>
public sealed class AccountModel(
    UserManager<ConsoleUser> userManager, SignInManager<ConsoleUser> signIn, ConsoleUserService users, ConsoleUserOptions options,
    TimeProvider clock, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public string Language { get; private set; } = ConsoleLanguages.English;
    public bool TwoFactorEnabled { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostLanguageAsync(string? language, CancellationToken ct)
    {
        if (await LoadAsync() is not { } user) return Challenge();
        var outcome = await users.SetLanguageAsync(user, language ?? "", ct);
        if (!outcome.Succeeded) { Errors.AddRange(outcome.Errors); return Page(); }
        ConsoleSetup.SetLanguageCookie(Response, language!, options.SecureCookies);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? current, string? password, string? confirm, CancellationToken ct)
    {
        if (await LoadAsync() is not { } user) return Challenge();
        if (string.IsNullOrEmpty(current) || string.IsNullOrEmpty(password)) { Errors.Add(t["Account.Password.Missing"]); return Page(); }
        if (password != confirm) { Errors.Add(t["Account.Password.Mismatch"]); return Page(); }
        var outcome = await users.ChangePasswordAsync(user, current, password, ct);
        if (!outcome.Succeeded) { Errors.AddRange(outcome.Errors); return Page(); }
        await signIn.RefreshSignInAsync(user); // the new security stamp would otherwise end this session too
        Flash(t["Account.Password.Changed"]);
        return RedirectToPage();
    }

    /// <summary>
    /// Turning the second factor off asks for the password again, so that a session left open (or taken over) cannot strip
    /// the account of its second factor. Wrong passwords count towards the lockout, as at sign-in.
    /// </summary>
    public async Task<IActionResult> OnPostDisableTwoFactorAsync(string? current, CancellationToken ct)
    {
        if (await LoadAsync() is not { } user) return Challenge();
        if (string.IsNullOrEmpty(current) || !(await signIn.CheckPasswordSignInAsync(user, current, lockoutOnFailure: true)).Succeeded)
        {
            Errors.Add(t["Account.TwoFactor.WrongPassword"]);
            return Page();
        }
        var outcome = await users.ResetTwoFactorAsync(user.UserName!, user.UserName!, ct);
        if (!outcome.Succeeded) { Errors.AddRange(outcome.Errors); return Page(); }
        await signIn.RefreshSignInAsync((await userManager.FindByIdAsync(user.Id))!);
        Flash(t["Account.TwoFactor.Disabled"]);
        return RedirectToPage();
    }

    private async Task<ConsoleUser?> LoadAsync()
    {
        var user = await userManager.GetUserAsync(User);
        if (user is null) return null;
        Language = ConsoleLanguages.IsKnown(user.Language) ? user.Language! : System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        TwoFactorEnabled = user.TwoFactorEnabled;
        Now = clock.GetUtcNow();
        return user;
    }
}
