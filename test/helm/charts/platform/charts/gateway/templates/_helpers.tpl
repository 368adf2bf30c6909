{{- define "platform.fullname" -}}
subchart-definition-loses
{{- end -}}
{{- define "gateway.name" -}}{{ .Chart.Name }}{{- end -}}
