using Microsoft.Extensions.Options;

namespace Catalog.Api.Http;

/// <summary>
/// Settings through the options pattern: each class is bound from its configuration section, checked by its
/// <see cref="IValidateOptions{TOptions}"/> when the host starts (<c>ValidateOnStart</c>), and handed to the code
/// that uses it as the plain object. A refusal names the setting and the fix; Program prints it as one line.
/// </summary>
public static class Settings
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, validates it at start-up and registers the validated value.</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section, Func<T, string?> problem)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new Validator<T>(problem));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// Validates every settings class now (what the host's start would do), so a bad setting is refused before the
    /// ledger opens and before the host logs a failed start with its stack trace.
    /// </summary>
    public static void ValidateSettings(this WebApplication app) =>
        app.Services.GetService<IStartupValidator>()?.Validate();

    /// <summary>The first problem of several checks, or null when each is satisfied.</summary>
    public static string? FirstProblem(params (bool Broken, string Problem)[] checks) =>
        checks.FirstOrDefault(check => check.Broken).Problem;

    private sealed class Validator<T>(Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problem(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
