kubectl create secret generic token --from-literal=key=x --dry-run=client -o yaml > 02-token.yaml
kubectl apply -f 01-settings.yaml
kubectl apply -f 02-token.yaml
