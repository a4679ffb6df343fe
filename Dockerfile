# One image for all four services; SERVICE picks which one runs.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
USER 1000:1000
ENV SERVICE=customers
EXPOSE 3000
CMD ["sh", "-c", "exec node -r ./scripts/ts-register.cjs apps/${SERVICE}/src/main.ts"]
