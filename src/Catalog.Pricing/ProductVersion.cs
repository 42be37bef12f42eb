using System.Reflection;

namespace Catalog.Pricing;

/// <summary>The solution's one version (<c>Version</c> in Directory.Build.props), as every assembly of it carries it.</summary>
public static class ProductVersion
{
    public static string Current { get; } =
        typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
