using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// The tests of a class that needs a PostgreSQL server (<see cref="TestPostgres"/>): when there is none,
/// its <see cref="StoreFactAttribute"/> and <see cref="StoreTheoryAttribute"/> tests, inherited ones
/// included, are reported skipped with the reason, instead of failing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>A fact about a ledger store, run against the store of the class that runs it; see <see cref="RequiresPostgresAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Catalog.Api.Tests.Ledger.StoreFactDiscoverer", "Catalog.Api.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A theory about a ledger store; see <see cref="StoreFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Catalog.Api.Tests.Ledger.StoreTheoryDiscoverer", "Catalog.Api.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

public sealed class StoreFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo fact) =>
        StoreSkip.For(DiagnosticMessageSink, options, method) ?? base.Discover(options, method, fact);
}

public sealed class StoreTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo theory) =>
        StoreSkip.For(DiagnosticMessageSink, options, method) ?? base.Discover(options, method, theory);
}

internal static class StoreSkip
{
    /// <summary>One skipped test case when the method's class needs a store that is not here, else null.</summary>
    public static IXunitTestCase[]? For(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method) =>
        method.TestClass.Class.ToRuntimeType().GetCustomAttribute<RequiresPostgresAttribute>() is not null && TestPostgres.AdminConnectionString is null
            ? [new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, TestPostgres.SkipReason, null)]
            : null;
}
