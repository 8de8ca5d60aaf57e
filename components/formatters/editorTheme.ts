import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/**
 * The formatter editor's colours, light and dark (`prefers-color-scheme`). Every text colour
 * keeps at least 4.5:1 against its background (WCAG AA, what axe checks): CodeMirror's default
 * gutter grey does not, so the gutter is set here. Light mode keeps CodeMirror's default
 * highlighting (its colours pass on white); dark mode has its own.
 */
const base = (dark: boolean) =>
  EditorView.theme(
    {
      '&': {
        height: '20rem',
        backgroundColor: dark ? '#0f172a' : '#ffffff',
        color: dark ? '#e2e8f0' : '#0f172a',
      },
      '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', lineHeight: '1.25rem' },
      '.cm-gutters': {
        backgroundColor: dark ? '#1e293b' : '#f8fafc',
        color: dark ? '#cbd5e1' : '#475569',
        borderRight: `1px solid ${dark ? '#334155' : '#e2e8f0'}`,
      },
      '.cm-activeLine': { backgroundColor: dark ? '#1e293b80' : '#eef2ff80' },
      '.cm-activeLineGutter': {
        backgroundColor: dark ? '#334155' : '#e0e7ff',
        color: dark ? '#f8fafc' : '#1e293b',
      },
      '.cm-cursor': { borderLeftColor: dark ? '#f8fafc' : '#0f172a' },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
        backgroundColor: dark ? '#3730a3' : '#c7d2fe',
      },
      '.cm-errorLine': {
        backgroundColor: dark ? '#450a0a' : '#fee2e2',
        boxShadow: `inset 3px 0 0 ${dark ? '#f87171' : '#dc2626'}`,
      },
    },
    { dark },
  );

const darkHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#c4b5fd' },
  { tag: [t.atom, t.bool, t.null], color: '#fda4af' },
  { tag: t.number, color: '#fcd34d' },
  { tag: [t.string, t.regexp], color: '#86efac' },
  { tag: t.comment, color: '#94a3b8', fontStyle: 'italic' },
  { tag: t.definition(t.variableName), color: '#7dd3fc' },
  { tag: [t.propertyName, t.function(t.variableName)], color: '#93c5fd' },
  { tag: t.invalid, color: '#fca5a5' },
]);

export const editorTheme = (dark: boolean): Extension =>
  dark ? [base(true), syntaxHighlighting(darkHighlight)] : base(false);
