{{/* names */}}
{{- define "language.name" -}}
{{ .Chart.Name }}-{{ .Values.name }}
{{- end -}}

{{- define "language.labels" }}
app: {{ include "language.name" . }}
version: {{ .Chart.Version | quote }}
{{- end }}

{{- define "language.recurse" -}}
{{- if gt (int .n) 0 -}}{{ .n }},{{ include "language.recurse" (dict "n" (sub .n 1)) }}{{- end -}}
{{- end -}}
