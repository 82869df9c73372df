using CadapDrafting.Infrastructure;

namespace CadapDrafting.Drafts.Writing;

/// <summary>The decide step: the command's pure decision on the working state, or why it cannot be made.</summary>
public static class Deciding
{
    /// <summary>
    /// A refusal is the domain's answer (403, 404, 409, 422). An exception thrown by a decide function is a fault of the
    /// server, not of the request: it is logged and answered 500, and nothing of the command is stored.
    /// </summary>
    public static (Decision Decision, string? Reason) Decide(WorkingState state, CommandEnvelope envelope, CommandContext context,
        ILogger logger)
    {
        try
        {
            return envelope.Command switch
            {
                IDraftCreation creation when state.Draft is null => (creation.Decide(state.DraftId, context), creation.Reason),
                IDraftCreation => (Problem.Conflict("A draft with this id exists already."), null),
                IDraftCommand when state.Draft is null => (Problem.NotFound("The draft"), null),
                IDraftCommand command => (command.Decide(state.Draft, context), command.Reason),
                _ => throw new InvalidOperationException($"{envelope.Command.GetType().Name} is not a draft command"),
            };
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Deciding {Command} on draft {DraftId} failed", envelope.Command.GetType().Name, state.DraftId);
            return (Fault, null);
        }
    }

    public static readonly Problem Fault = new(500, "Server fault",
        "The server failed while deciding this command; nothing was stored and the fault was logged.");
}
