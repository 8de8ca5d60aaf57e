'use client';

import { javascript } from '@codemirror/lang-javascript';
import { Annotation, Compartment, EditorState, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { editorTheme } from './editorTheme';

/** A change React made (a new `value`), not the user: not echoed back through `onChange`. */
const fromProps = Annotation.define<boolean>();

/** Marks one line (1-based) as where the last test's error arose; `null` clears the mark. */
const setErrorLine = StateEffect.define<number | null>();

const errorLineMark = Decoration.line({
  class: 'cm-errorLine',
  attributes: { 'data-testid': 'formatter-error-line', title: 'The error of the last test arose here' },
});

/** The mark follows its line through edits above it, as any CodeMirror decoration does. */
const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setErrorLine)) continue;
      const n = e.value;
      next =
        n === null || n < 1 || n > tr.state.doc.lines
          ? Decoration.none
          : Decoration.set([errorLineMark.range(tr.state.doc.line(n).from)]);
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const prefersDark = () =>
  typeof window !== 'undefined' && window.matchMedia('(prefers-color-scheme: dark)').matches;

interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  /** 1-based line of the script's last error, if the server named one. */
  errorLine?: number;
  label: string;
  testId?: string;
}

/**
 * A CodeMirror 6 JavaScript editor (docs/architecture.md §4.8: why CodeMirror): line numbers,
 * highlighting, bracket matching, search, undo. React owns `value`; the editor is made once and
 * told of outside changes (another direction, the inherited formatter) by a replacing transaction.
 */
export function CodeEditor({ value, onChange, readOnly, errorLine, label, testId }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const theme = useRef(new Compartment());
  const editable = useRef(new Compartment());

  // Made once: later props arrive through the effects below.
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          javascript(),
          errorLineField,
          theme.current.of(editorTheme(prefersDark())),
          editable.current.of([EditorState.readOnly.of(!!readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.contentAttributes.of({
            'aria-label': label,
            ...(testId ? { 'data-testid': testId } : {}),
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(fromProps)))
              onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => v.dispatch({ effects: theme.current.reconfigure(editorTheme(media.matches)) });
    media.addEventListener('change', follow);
    return () => {
      media.removeEventListener('change', follow);
      v.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === value) return;
    v.dispatch({
      changes: { from: 0, to: v.state.doc.length, insert: value },
      annotations: fromProps.of(true),
    });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: editable.current.reconfigure([
        EditorState.readOnly.of(!!readOnly),
        EditorView.editable.of(!readOnly),
      ]),
    });
  }, [readOnly]);

  useEffect(() => {
    view.current?.dispatch({ effects: setErrorLine.of(errorLine ?? null) });
  }, [errorLine]);

  return <div ref={host} className="overflow-hidden rounded-md border border-slate-300 text-xs" />;
}
