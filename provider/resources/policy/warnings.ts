import type { Checkpoint } from "../../host";
import { checkpointList } from "./refusals";

/** Why a declared file location waits, and what happens next. */
export function pendingLocationWarning(current: string, pending: string, checkpoints: Checkpoint[]): string {
    return (
        `fileLocation stays ${current} for now, everything else was applied: Hyper-V moves the checkpoint file location only ` +
        `while a VM has no checkpoints, and this VM has ${checkpointList(checkpoints)}. If this \`pulumi up\` deletes them ` +
        `(the engine deletes after it updates), the next \`pulumi up\` moves it to ${pending}; otherwise delete or merge them first`
    );
}
