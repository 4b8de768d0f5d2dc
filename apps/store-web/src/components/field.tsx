// A labelled control with its validation error right beside it (aria-invalid, aria-describedby).
import type { ComponentChildren } from 'preact';

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span class="field-error" id={id} data-testid={`error-${id}`}>
      {message}
    </span>
  );
}

export function Field({
  label,
  error,
  errorId,
  children,
}: {
  label: string;
  error: string | undefined;
  errorId: string;
  children: ComponentChildren;
}) {
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label>
        <span class="label-text">{label}</span>
        {children}
      </label>
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** Props that tie a control to its error message. */
export function invalidProps(error: string | undefined, errorId: string) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
}
