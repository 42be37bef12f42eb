using Microsoft.AspNetCore.Diagnostics;

namespace Catalog.Api.Http;

/// <summary>
/// A client that disconnects in the middle of its request, or sends its body too slowly for Kestrel's minimum
/// data rate, is not the service's error: one Information line, no stack trace, instead of an error log per
/// request (a few hundred slow clients wrote a megabyte of stack traces). The client gets the status Kestrel
/// chose (400, 408) when it is still there to read it.
/// </summary>
public sealed class ClientAborts(ILogger<ClientAborts> logger, IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var aborted = context.RequestAborted.IsCancellationRequested && exception is OperationCanceledException or IOException;
        if (exception is not BadHttpRequestException && !aborted)
        {
            return false;
        }

        var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status499ClientClosedRequest;
        logger.LogInformation("{Method} {Path} from {Client}: the client went away or was too slow ({Status}: {Reason})", context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, status, exception.Message);
        context.Response.StatusCode = status;
        if (!aborted)
        {
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = { Status = status } });
        }

        return true;
    }
}
