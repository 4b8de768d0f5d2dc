// A labelled control with its validation error right beside it (aria-invalid, aria-describedby).
// The label points at the control by id, so the control's name is the label's text alone.
import type { ComponentChildren } from 'preact';

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span class="field-error" id={id} data-testid={id}>
      {message}
    </span>
  );
}

/** `controlId` must be the id of the control passed as the child. */
export function Field({
  label,
  error,
  controlId,
  children,
}: {
  label: string;
  error: string | undefined;
  controlId: string;
  children: ComponentChildren;
}) {
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={controlId}>{label}</label>
      {children}
      <FieldError id={errorIdOf(controlId)} message={error} />
    </div>
  );
}

export function errorIdOf(controlId: string): string {
  return `${controlId}-error`;
}

/** Props that give a control its id and tie it to its error message. */
export function controlProps(controlId: string, error: string | undefined) {
  return {
    id: controlId,
    ...(error ? { 'aria-invalid': true as const, 'aria-describedby': errorIdOf(controlId) } : {}),
  };
}

/** Props that tie a control without a Field (a grid cell) to its error message. */
export function invalidProps(error: string | undefined, errorId: string) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
}
